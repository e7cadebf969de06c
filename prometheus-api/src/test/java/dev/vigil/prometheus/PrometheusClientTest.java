package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PrometheusClient} against a real Prometheus (from PATH, random port, exemplar storage on)
 * scraping a target whose latency histogram carries one exemplar, with three alerting rules whose
 * state is known: one firing, one pending ({@code for: 1h}) and one that never fires.
 */
class PrometheusClientTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir static Path work;
  private static HttpServer target;
  private static Process prometheus;
  private static PrometheusClient client;

  @BeforeAll
  static void start() throws Exception {
    target = exemplarTarget();
    Path rules =
        Files.writeString(
            work.resolve("rules.yml"),
            """
            groups:
              - name: client-test
                rules:
                  - alert: ClientTestFiring
                    expr: vector(1)
                    labels: {severity: warning, service: catalog}
                    annotations: {summary: always firing, runbook_url: docs/runbooks/ClientTestFiring.md}
                  - alert: ClientTestPending
                    expr: vector(1)
                    for: 1h
                    labels: {severity: critical}
                  - alert: ClientTestQuiet
                    expr: vector(0) > 1
            """);
    int port = freePort();
    Path config =
        Files.writeString(
            work.resolve("prometheus.yml"),
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files: ['"
                + rules
                + "']\n"
                + "scrape_configs:\n  - job_name: exemplars\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:"
                + target.getAddress().getPort()
                + "']\n");
    prometheus =
        new ProcessBuilder(
                PrometheusTool.PROMETHEUS.require().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=exemplar-storage")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    client = new PrometheusClient(URI.create("http://127.0.0.1:" + port));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  @Test
  void aSlowRequestsExemplarComesBackWithItsTraceIdValueAndBucket() throws Exception {
    List<PrometheusClient.Exemplar> exemplars =
        await(
            () ->
                client.exemplars(
                    "histogram_quantile(0.95, sum by (le) (rate("
                        + "http_request_duration_seconds_bucket{service=\"catalog\"}[1m])))",
                    Instant.now().minusSeconds(600),
                    Instant.now()),
            list -> !list.isEmpty());
    PrometheusClient.Exemplar e = exemplars.get(0);
    assertThat(e.traceId()).as("the request's trace").contains(TRACE_ID);
    assertThat(e.labels()).containsEntry("span_id", "00f067aa0ba902b7");
    assertThat(e.value()).as("the observed duration, 321 ms").isEqualTo(0.321);
    assertThat(e.seriesLabels())
        .containsEntry("__name__", "http_request_duration_seconds_bucket")
        .containsEntry("le", "0.5")
        .containsEntry("service", "catalog");
    assertThat(e.epochSeconds())
        .as("observed within the range asked")
        .isBetween(
            Instant.now().minusSeconds(600).getEpochSecond() + 0.0,
            Instant.now().getEpochSecond() + 1.0);
  }

  @Test
  void aQueryWithoutExemplarsGivesAnEmptyListAndABadQueryNamesPrometheusAndItsError()
      throws Exception {
    assertThat(client.exemplars("up", Instant.now().minusSeconds(60), Instant.now())).isEmpty();
    await(() -> client.value("up", Instant.now()), v -> v.isPresent());
    assertThatThrownBy(
            () -> client.exemplars("rate(up[", Instant.now().minusSeconds(60), Instant.now()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Prometheus at http://127.0.0.1:")
        .hasMessageContaining("rejected the request")
        .hasMessageContaining("parse error");
    assertThatThrownBy(() -> client.exemplars("up", Instant.now(), Instant.now().minusSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start <= end");
  }

  @Test
  void alertRulesCarryGroupLabelsAnnotationsStateAndActiveAlerts() throws Exception {
    List<PrometheusClient.AlertRule> rules =
        await(
            client::alertRules,
            list ->
                list.stream()
                    .anyMatch(
                        r -> r.name().equals("ClientTestFiring") && r.state().equals("firing")));
    assertThat(rules)
        .extracting(PrometheusClient.AlertRule::name)
        .containsExactly("ClientTestFiring", "ClientTestPending", "ClientTestQuiet");
    PrometheusClient.AlertRule firing = rules.get(0);
    assertThat(firing.group()).isEqualTo("client-test");
    assertThat(firing.query()).isEqualTo("vector(1)");
    assertThat(firing.labels()).isEqualTo(Map.of("severity", "warning", "service", "catalog"));
    assertThat(firing.annotations())
        .containsEntry("summary", "always firing")
        .containsEntry("runbook_url", "docs/runbooks/ClientTestFiring.md");
    assertThat(firing.activeAlerts()).isEqualTo(1);
    assertThat(firing.groupIntervalSeconds()).isEqualTo(1.0);
    PrometheusClient.AlertRule pending = rules.get(1);
    assertThat(pending.forSeconds()).isEqualTo(3600.0);
    assertThat(pending.state()).isEqualTo("pending");
    assertThat(pending.activeAlerts()).isEqualTo(1);
    PrometheusClient.AlertRule quiet = rules.get(2);
    assertThat(quiet.state()).isEqualTo("inactive");
    assertThat(quiet.activeAlerts()).isZero();
    assertThat(quiet.labels()).isEmpty();
  }

  /** A call to Prometheus. */
  private interface Call<T> {
    T call() throws IOException;
  }

  /**
   * Asks until the answer satisfies the condition (Prometheus needs a scrape or an evaluation
   * first), at most 60 s.
   */
  private static <T> T await(Call<T> call, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    T last = null;
    IOException error = null;
    while (System.nanoTime() < deadline) {
      try {
        last = call.call();
        if (done.test(last)) {
          return last;
        }
      } catch (IOException notYet) {
        error = notYet; // not listening yet
      }
      Thread.sleep(200);
    }
    return fail(
        "Prometheus did not answer as expected within 60 s; last answer: "
            + last
            + ", last error: "
            + error
            + "\n"
            + Files.readString(work.resolve("prometheus.log")));
  }

  /** A scrape target in OpenMetrics whose 0.5 s bucket carries one exemplar (0.321 s). */
  private static HttpServer exemplarTarget() throws IOException {
    String labels = "service=\"catalog\"";
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
            .getBytes(StandardCharsets.UTF_8);
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
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
}
