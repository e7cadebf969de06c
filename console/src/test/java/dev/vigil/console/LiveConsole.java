package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.prometheus.RemoteWriteClient;
import dev.vigil.slo.backfill.Backfill;
import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A console on a random port over a real Prometheus (from PATH, random port) whose TSDB holds two
 * hours of known catalog traffic, imported with {@code promtool tsdb create-blocks-from
 * openmetrics}, with the committed generated SLO rules loaded as {@code ./vigil up} loads them and
 * the SLOs' minute counts of that history written by {@code vigil slo backfill}'s engine,
 * Prometheus scraping itself and logging every query it runs ({@link #QUERY_LOG}), and two test
 * alerts whose state is known: {@code ConsoleTestFiring} (vector(1), no {@code for}) and {@code
 * ConsoleTestPending} (vector(1) for 1h). Started once per test JVM, stopped at its exit.
 *
 * <p>The traffic, the oracle of every budget the console shows: 1000 requests a minute for 120
 * minutes, 1 of them a 5xx (availability SLI exactly 99.9%: the 0.1% budget is spent, exhausted)
 * and 990 under 0.5 s (latency SLI 99%: 1% slow against a 5% budget, 80% remains, healthy).
 */
final class LiveConsole {

  static final Path ROOT = Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath();
  static final int MINUTES = 120;

  /**
   * Requests per minute, 5xx per minute, and requests under 0.5 s per minute of the imported
   * traffic.
   */
  static final long REQUESTS_PER_MINUTE = 1000;

  static final long ERRORS_PER_MINUTE = 1;

  /** The trace id of the one access line in the test's {@code logs/catalog.log}. */
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  static final long FAST_PER_MINUTE = 990;

  /**
   * An injected fault in the history: {@code vigil_fault_active{fault="db-latency",
   * service="catalog"}} is 1 from this minute of the two hours to {@link #FAULT_END_MINUTE}, else
   * 0.
   */
  static final int FAULT_START_MINUTE = 90;

  /** An instance of the catalog in the history whose request counter stays at 0. */
  static final String IDLE_INSTANCE = "127.0.0.1:8081";

  static final int FAULT_END_MINUTE = 100;

  /**
   * A drill's report in the state directory's {@code drills/}: {@code server-error-burst}, its
   * fault from this many minutes before the history's end to {@link #DRILL_CLEARED_MINUTES_BEFORE}
   * before it.
   */
  static final int DRILL_FAULT_MINUTES_BEFORE = 15;

  static final int DRILL_CLEARED_MINUTES_BEFORE = 10;

  /**
   * Prometheus' query log in {@link #work}: one JSON line per query it ran ({@code params.query},
   * {@code params.start}, {@code params.end}, {@code params.step} in seconds), what the console
   * sent as Prometheus received it.
   */
  static final String QUERY_LOG = "queries.log";

  private static LiveConsole instance;

  /** Serves one request's exemplar (trace {@link #TRACE_ID}) for Prometheus to scrape. */
  private static com.sun.net.httpserver.HttpServer exemplarTarget;

  final Path work;

  /** The end of the imported history (its last sample), 5 minutes before the start. */
  final Instant historyEnd;

  final URI prometheus;
  final URI console;
  final Path notifications;
  private final Process prometheusProcess;
  private final ConsoleServer server;

  private LiveConsole(
      Path work,
      Instant historyEnd,
      URI prometheus,
      Process prometheusProcess,
      ConsoleServer server,
      Path notifications) {
    this.work = work;
    this.historyEnd = historyEnd;
    this.prometheus = prometheus;
    this.prometheusProcess = prometheusProcess;
    this.server = server;
    this.console = URI.create("http://127.0.0.1:" + server.port());
    this.notifications = notifications;
  }

  /** The shared console, started on first use. */
  static synchronized LiveConsole get() throws Exception {
    if (instance == null) {
      instance = start();
      LiveConsole started = instance;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
    }
    return instance;
  }

  private static LiveConsole start() throws Exception {
    Path work = Files.createTempDirectory("vigil-console-test");
    Path promtool = PrometheusTool.PROMTOOL.require();
    Path server = PrometheusTool.PROMETHEUS.require();
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Path data = Files.createDirectories(work.resolve("data"));
    Path om = Files.writeString(work.resolve("catalog.om"), openMetrics(end));
    Process create =
        new ProcessBuilder(
                promtool.toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                om.toString(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String created = new String(create.getInputStream().readAllBytes());
    assertThat(create.waitFor())
        .as("promtool tsdb create-blocks-from openmetrics: %s", created)
        .isZero();
    Path sloRules = ROOT.resolve("deploy/prometheus/rules/generated/catalog.yml");
    Path testRules =
        Files.writeString(
            work.resolve("test-alerts.yml"),
            """
        groups:
          - name: console-test
            rules:
              - alert: ConsoleTestFiring
                expr: vector(1)
                labels: {severity: warning, service: catalog}
                annotations:
                  summary: "at {{ $value | humanizePercentage }} on {{ $labels.service }}"
              - alert: ConsoleTestPending
                expr: vector(1)
                for: 1h
                labels: {severity: critical, service: catalog}
        """);
    int port = freePort();
    exemplarTarget = exemplarTarget();
    Path config =
        Files.writeString(
            work.resolve("prometheus.yml"),
            "global:\n  evaluation_interval: 1s\n  scrape_interval: 1s\n"
                + "  query_log_file: "
                + work.resolve(QUERY_LOG)
                + "\n"
                + "storage:\n  tsdb:\n    out_of_order_time_window: 31d\n"
                + "rule_files:\n  - "
                + sloRules
                + "\n  - "
                + testRules
                + "\n"
                + "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:"
                + port
                + "']\n"
                + "  - job_name: catalog-exemplars\n    honor_labels: true\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:"
                + exemplarTarget.getAddress().getPort()
                + "']\n");
    URI prometheus = URI.create("http://127.0.0.1:" + port);
    Process process =
        new ProcessBuilder(
                server.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=30d",
                "--enable-feature=exemplar-storage",
                "--web.enable-remote-write-receiver")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    awaitReady(prometheus, work.resolve("prometheus.log"));
    // the rules were loaded after the history: vigil slo backfill writes the SLOs' minute counts,
    // which the console's budgets and charts read
    Backfill backfill =
        new Backfill(
            new PrometheusClient(prometheus),
            new RemoteWriteClient(prometheus.resolve("/api/v1/write")));
    for (Slo slo : new SpecReader().read(List.of(ROOT.resolve("slos/catalog.yaml"))).slos()) {
      backfill.run(slo, null, end);
    }
    // the SLO groups are evaluated every minute, at an offset of their own: wait for each group's
    // first evaluation (its metadata series), so that every panel has its recorded series, and for
    // the first evaluation after the backfill of the two SLOs with history (availability and
    // latency): a group evaluated before the backfill records no period ratio (availability) or
    // NaN (latency, whose only live events are the exemplar target's idle counter) until its next
    // evaluation, up to a minute later, and the SLO dashboard's "SLI over 30d" would say no data
    PrometheusClient client = new PrometheusClient(prometheus);
    for (int i = 0; i < 900; i++) {
      if (client.value("count(slo:objective:ratio)", Instant.now()).orElse(0) >= 4
          && client.value("count(slo:sli_error:ratio_period >= 0)", Instant.now()).orElse(0) >= 2) {
        break;
      }
      Thread.sleep(100);
    }
    Path notifications =
        Files.writeString(
            work.resolve("notifications.jsonl"),
            """
        {"received_at":"2026-11-21T19:30:00Z","receiver":"pager","status":"firing","alertname":"HighErrorRate","severity":"critical","service":"catalog","labels":{},"annotations":{}}
        not json: a line the receiver never writes is skipped
        {"received_at":"2026-11-21T19:45:00Z","receiver":"pager","status":"resolved","alertname":"HighErrorRate","severity":"critical","service":"catalog","labels":{},"annotations":{}}
        """);
    Path logs = Files.createDirectories(work.resolve("logs"));
    Files.writeString(
        logs.resolve("catalog.log"),
        "{\"level\":\"INFO\",\"message\":\"GET /api/products 200\",\"trace_id\":\""
            + TRACE_ID
            + "\"}\n"
            + "{\"level\":\"INFO\",\"message\":\"another request\",\"trace_id\":\""
            + "0af7651916cd43dd8448eb211c80319c\"}\n"
            + "not json, mentioning \""
            + TRACE_ID
            + "\"\n");
    Path drills = Files.createDirectories(work.resolve("drills"));
    Files.writeString(
        drills.resolve("server-error-burst-test.json"),
        "{\"drill\": \"server-error-burst\", \"passed\": true, \"faultAt\": \""
            + end.minus(DRILL_FAULT_MINUTES_BEFORE, ChronoUnit.MINUTES)
            + "\", \"faultClearedAt\": \""
            + end.minus(DRILL_CLEARED_MINUTES_BEFORE, ChronoUnit.MINUTES)
            + "\"}\n");
    Files.writeString(drills.resolve("broken.json"), "not a drill report");
    // the state directory holds no admin token and no profiles: the errors and profiles pages say
    // so
    ConsoleServer console =
        ConsoleServer.start(
            ConsoleConfig.builder()
                .port(0)
                .prometheus(prometheus)
                .specs(List.of(ROOT.resolve("slos/catalog.yaml")))
                .notifications(notifications)
                .zipkin(URI.create("http://127.0.0.1:9411"))
                .logs(logs)
                .runbooks(ROOT.resolve("docs/runbooks"))
                .stateDir(work)
                .build());
    return new LiveConsole(work, end, prometheus, process, console, notifications);
  }

  private void stop() {
    server.close();
    exemplarTarget.stop(0);
    prometheusProcess.destroy();
    try {
      prometheusProcess.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitReady(URI prometheus, Path log) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(prometheus.resolve("/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail(
        "Prometheus did not become ready on "
            + prometheus
            + " within 60 s:\n"
            + Files.readString(log));
  }

  /**
   * A scrape target in OpenMetrics whose latency histogram carries one exemplar, the request of
   * {@link #TRACE_ID} (0.321 s). Its counters never move, so it adds no events to any SLO; it only
   * gives Prometheus an exemplar to store, as the catalog does for every sampled request.
   */
  private static com.sun.net.httpserver.HttpServer exemplarTarget() throws IOException {
    String labels = "service=\"catalog\",endpoint=\"/api/products\"";
    byte[] body =
        ("# TYPE http_request_duration_seconds histogram\n"
                + "http_request_duration_seconds_bucket{"
                + labels
                + ",le=\"0.5\"} 1 # {trace_id=\""
                + TRACE_ID
                + "\",span_id=\"00f067aa0ba902b7\"} 0.321\n"
                + "http_request_duration_seconds_bucket{"
                + labels
                + ",le=\"+Inf\"} 1\n"
                + "http_request_duration_seconds_count{"
                + labels
                + "} 1\n"
                + "http_request_duration_seconds_sum{"
                + labels
                + "} 0.321\n"
                + "# EOF\n")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    com.sun.net.httpserver.HttpServer http =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/metrics",
        exchange -> {
          exchange
              .getResponseHeaders()
              .set("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    http.start();
    return http;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Two hours of counter samples every 15 s (the stack's scrape interval) ending at {@code end},
   * all starting from 0.
   */
  private static String openMetrics(Instant end) {
    StringBuilder om = new StringBuilder();
    long start = end.getEpochSecond() - MINUTES * 60L;
    om.append("# TYPE http_requests counter\n");
    for (String status : List.of("200", "500")) {
      for (int q = 0; q <= MINUTES * 4; q++) {
        double m = q / 4.0;
        double value =
            status.equals("500")
                ? ERRORS_PER_MINUTE * m
                : (REQUESTS_PER_MINUTE - ERRORS_PER_MINUTE) * m;
        om.append("http_requests_total{service=\"catalog\",status=\"")
            .append(status)
            .append("\"} ")
            .append(value)
            .append(' ')
            .append(start + q * 15L)
            .append('\n');
      }
    }
    // a second instance that served nothing: the golden signals' instance variable has a value to
    // choose, and no SLO counts an event more
    for (int q = 0; q <= MINUTES * 4; q++) {
      sample(
          om,
          "http_requests_total",
          "service=\"catalog\",instance=\"" + IDLE_INSTANCE + "\",status=\"200\"",
          0,
          start,
          q);
    }
    om.append("# TYPE http_request_duration_seconds histogram\n");
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      om.append("http_request_duration_seconds_bucket{service=\"catalog\",le=\"0.5\"} ")
          .append(FAST_PER_MINUTE * m)
          .append(' ')
          .append(start + q * 15L)
          .append('\n');
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      om.append("http_request_duration_seconds_bucket{service=\"catalog\",le=\"+Inf\"} ")
          .append(REQUESTS_PER_MINUTE * m)
          .append(' ')
          .append(start + q * 15L)
          .append('\n');
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      om.append("http_request_duration_seconds_count{service=\"catalog\"} ")
          .append(REQUESTS_PER_MINUTE * m)
          .append(' ')
          .append(start + q * 15L)
          .append('\n');
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      om.append("http_request_duration_seconds_sum{service=\"catalog\"} ")
          .append(100 * m)
          .append(' ')
          .append(start + q * 15L)
          .append('\n');
    }
    dependencyAndSaturationSeries(om, start);
    return om.append("# EOF\n").toString();
  }

  /**
   * What the catalog's dependencies, process and host report, steady over the two hours, so every
   * panel of the dependencies, saturation and golden-signals dashboards has something to draw:
   * gauges constant, counters growing by a fixed amount a minute, histograms with every observation
   * in their first bucket.
   */
  private static void dependencyAndSaturationSeries(StringBuilder om, long start) {
    String svc = "service=\"catalog\",instance=\"127.0.0.1:8080\"";
    counter(om, start, "http_errors", svc + ",endpoint=\"/api/products\",status=\"500\"", 1);
    counter(om, start, "process_cpu_seconds", svc, 6);
    counter(om, start, "cache_hits", svc + ",cache=\"products\"", 90);
    counter(om, start, "cache_misses", svc + ",cache=\"products\"", 10);
    counter(om, start, "orders", svc + ",status=\"confirmed\",payment_method=\"card\"", 5);
    counter(om, start, "pipeline_records_processed", svc, 100);
    counter(om, start, "pipeline_errors", svc, 1);
    counter(om, start, "db_slow_queries", svc + ",query=\"find_product\"", 2);
    counter(om, start, "db_errors", svc + ",error_type=\"timeout\"", 1);
    counter(om, start, "payment_client_attempts", svc + ",outcome=\"success\"", 5);
    gauge(om, start, "http_requests_active", svc, 3);
    om.append("# TYPE vigil_fault_active gauge\n");
    for (int q = 0; q <= MINUTES * 4; q++) {
      boolean active = q >= FAULT_START_MINUTE * 4 && q < FAULT_END_MINUTE * 4;
      sample(
          om,
          "vigil_fault_active",
          "fault=\"db-latency\",service=\"catalog\"",
          active ? 1 : 0,
          start,
          q);
    }
    gauge(om, start, "jvm_memory_used_bytes", svc + ",area=\"heap\"", 64e6);
    gauge(om, start, "jvm_memory_max_bytes", svc + ",area=\"heap\"", 256e6);
    gauge(om, start, "db_connection_pool_active", svc + ",pool=\"catalog\"", 4);
    gauge(om, start, "db_connection_pool_max", svc + ",pool=\"catalog\"", 10);
    gauge(om, start, "db_connection_pool_pending", svc + ",pool=\"catalog\"", 0);
    gauge(om, start, "queue_depth", svc + ",queue=\"confirmations\"", 7);
    gauge(om, start, "db_circuit_state", svc + ",state=\"closed\"", 1);
    gauge(om, start, "payment_client_circuit_state", svc + ",state=\"closed\"", 1);
    gauge(om, start, "process_resident_memory_bytes", svc, 200e6);
    gauge(om, start, "jvm_threads_current", svc, 40);
    gauge(om, start, "jvm_threads_daemon", svc, 20);
    gauge(om, start, "process_open_fds", svc, 120);
    gauge(om, start, "process_max_fds", svc, 1024);
    String node = "instance=\"127.0.0.1:9100\"";
    gauge(om, start, "instance:node_cpu_utilisation:rate5m", node, 0.3);
    gauge(om, start, "instance:node_memory_utilisation:ratio", node, 0.5);
    String fs = node + ",fstype=\"ext4\",mountpoint=\"/\"";
    gauge(om, start, "node_filesystem_avail_bytes", fs, 40e9);
    gauge(om, start, "node_filesystem_size_bytes", fs, 100e9);
    histogram(om, start, "db_query_duration_seconds", svc + ",query=\"find_product\"", 50);
    histogram(om, start, "queue_processing_duration_seconds", svc + ",queue=\"confirmations\"", 5);
    histogram(om, start, "payment_client_duration_seconds", svc, 5);
    om.append("# TYPE jvm_gc_collection_seconds summary\n");
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(
          om, "jvm_gc_collection_seconds_count", svc + ",gc=\"G1 Young Generation\"", m, start, q);
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(
          om,
          "jvm_gc_collection_seconds_sum",
          svc + ",gc=\"G1 Young Generation\"",
          0.6 * m,
          start,
          q);
    }
  }

  private static void counter(
      StringBuilder om, long start, String name, String labels, double perMinute) {
    om.append("# TYPE ").append(name).append(" counter\n");
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(om, name + "_total", labels, perMinute * m, start, q);
    }
  }

  private static void gauge(
      StringBuilder om, long start, String name, String labels, double value) {
    om.append("# TYPE ").append(name).append(" gauge\n");
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(om, name, labels, value, start, q);
    }
  }

  /** Every observation in the 0.01 s bucket. */
  private static void histogram(
      StringBuilder om, long start, String name, String labels, double perMinute) {
    om.append("# TYPE ").append(name).append(" histogram\n");
    for (String le : List.of("0.01", "+Inf")) {
      for (int q = 0; q <= MINUTES * 4; q++) {
        double m = q / 4.0;
        sample(om, name + "_bucket", labels + ",le=\"" + le + "\"", perMinute * m, start, q);
      }
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(om, name + "_count", labels, perMinute * m, start, q);
    }
    for (int q = 0; q <= MINUTES * 4; q++) {
      double m = q / 4.0;
      sample(om, name + "_sum", labels, perMinute * m * 0.005, start, q);
    }
  }

  private static void sample(
      StringBuilder om, String name, String labels, double value, long start, int q) {
    om.append(name)
        .append('{')
        .append(labels)
        .append("} ")
        .append(value)
        .append(' ')
        .append(start + q * 15L)
        .append('\n');
  }
}
