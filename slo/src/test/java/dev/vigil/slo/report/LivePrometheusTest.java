package dev.vigil.slo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.command.GateCommand;
import dev.vigil.slo.command.SloCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil slo report}, {@code gate} and {@code validate --prometheus} against a real
 * Prometheus (/usr/bin/prometheus on a random port) whose TSDB holds two hours of known catalog
 * traffic, imported with {@code promtool tsdb create-blocks-from openmetrics} before it starts:
 *
 * <ul>
 *   <li>1000 requests a minute, 1 of them a 5xx: the availability SLI is exactly 99.9%, so the
 *       whole budget for those events is spent (exhausted);
 *   <li>990 of the 1000 under 0.5 s: 1% slow against a 5% budget, 20% consumed (healthy).
 * </ul>
 */
class LivePrometheusTest {

  private static final Path CATALOG =
      Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");
  private static final int MINUTES = 120;

  @TempDir static Path work;
  private static Process prometheus;
  private static String url;
  private static Instant end;

  @BeforeAll
  static void startPrometheusWithKnownData() throws Exception {
    Path promtool = tool("promtool");
    Path server = tool("prometheus");
    end = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Path data = Files.createDirectories(work.resolve("data"));
    Path om = work.resolve("catalog.om");
    Files.writeString(om, openMetrics(end));
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
    // The committed generated rules are loaded as `./vigil up` loads them (rules/generated/*.yml).
    Path rules =
        CATALOG
            .getParent()
            .resolveSibling("deploy/prometheus/rules/generated/catalog.yml")
            .toAbsolutePath();
    Path config =
        Files.writeString(
            work.resolve("prometheus.yml"),
            "global:\n  evaluation_interval: 1s\nrule_files:\n  - "
                + rules
                + "\nstorage:\n  tsdb:\n    out_of_order_time_window: 30d\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    url = "http://127.0.0.1:" + port;
    prometheus =
        new ProcessBuilder(
                server.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=30d",
                "--web.enable-remote-write-receiver")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 300; i++) {
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          backfill();
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    fail(
        "Prometheus did not become ready on "
            + url
            + ":\n"
            + Files.readString(work.resolve("prometheus.log")));
  }

  /**
   * The rules were loaded after the history: {@code vigil slo backfill} writes the SLOs' recorded
   * counts for it. The uptime and storefront-lcp SLIs have no series here, so their backfill writes
   * nothing and says so, failing the command.
   */
  private static void backfill() {
    String[] args = {"backfill", "--prometheus", url, "--to", end.toString(), CATALOG.toString()};
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args)).as("vigil slo backfill%n%s%s", out, err).isEqualTo(1);
    backfillOutput = out.toString();
    assertThat(err.toString())
        .contains("catalog/uptime: wrote nothing: the SLI's series have no data between");
    assertThat(backfillOutput)
        .contains(
            "catalog/availability: wrote 120 samples of slo:sli_bad:increase1m, 120 samples of"
                + " slo:sli_total:increase1m from "
                + end.minus(MINUTES - 1, ChronoUnit.MINUTES)
                + " to "
                + end);
  }

  private static String backfillOutput;

  @Test
  void backfilledBudgetEqualsPrometheusRawComputationOverTheSameHistory() throws IOException {
    PrometheusClient client = new PrometheusClient(URI.create(url));
    for (dev.vigil.slo.model.Slo slo :
        new dev.vigil.slo.spec.SpecReader().read(List.of(CATALOG)).slos().subList(0, 2)) {
      // the SLI's own queries over the raw series of the whole 30d (what the period rule read
      // before it summed recorded counts), evaluated by Prometheus
      double raw =
          client
              .value(slo.sli().errorRatioQuery(dev.vigil.prometheus.PromDuration.parse("30d")), end)
              .orElseThrow();
      double recorded =
          client
              .value(
                  dev.vigil.slo.model.SloSeries.ratioOver(
                      slo, dev.vigil.prometheus.PromDuration.parse("30d")),
                  end)
              .orElseThrow();
      assertThat(recorded)
          .as(slo.name())
          .isCloseTo(raw, org.assertj.core.data.Percentage.withPercentage(1e-4));
      assertThat(recorded)
          .as(slo.name())
          .isCloseTo(
              slo.name().equals("availability") ? 0.001 : 0.01,
              org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(backfillOutput).contains("catalog/latency: wrote 120 samples");
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      prometheus.waitFor();
    }
  }

  @Test
  void jsonReportStatesBudgetsFromTheKnownTraffic() throws IOException {
    String out =
        run(
            0,
            "report",
            "--prometheus",
            url,
            "--at",
            end.toString(),
            "--format",
            "json",
            CATALOG.toString());
    JsonNode rows = new ObjectMapper().readTree(out);
    JsonNode availability = rows.get(0);
    assertThat(availability.get("slo").asText()).isEqualTo("availability");
    // each recorded minute is Prometheus' rate x 60 s: float arithmetic, exact to about 1e-16
    assertThat(availability.get("total_events").asDouble())
        .isCloseTo(120_000.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(availability.get("bad_events").asDouble())
        .isCloseTo(120.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(availability.get("sli").asDouble())
        .isCloseTo(0.999, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(availability.get("budget_minutes").asText()).isEqualTo("43.2");
    assertThat(availability.get("consumed_percent").asDouble())
        .isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(availability.get("state").asText()).isEqualTo("exhausted");
    assertThat(availability.get("burn_rates").get("1h").asDouble())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));

    JsonNode latency = rows.get(1);
    assertThat(latency.get("slo").asText()).isEqualTo("latency");
    assertThat(latency.get("sli").asDouble())
        .isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(latency.get("budget_events").asDouble())
        .isCloseTo(6000.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(latency.get("remaining_percent").asDouble())
        .isCloseTo(80.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(latency.get("burn_rates").get("6h").asDouble())
        .isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(latency.get("state").asText()).isEqualTo("healthy");
    // 80% of a 30d budget at 0.2x lasts 0.8 x 30d / 0.2 = 120 days. The burn rate is Prometheus'
    // float64
    // rate arithmetic: a relative error of 1e-7 is a second over 120 days, so the projection is
    // asserted to
    // the minute (it once came out at 19:28:59 instead of 19:29:00).
    assertThat(Instant.parse(latency.get("exhausted_at").asText()))
        .isCloseTo(
            end.plus(120, ChronoUnit.DAYS),
            org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
  }

  @Test
  void theCommittedRulesLoadAndRecordTheSliAndItsMetadata() throws Exception {
    PrometheusClient client = new PrometheusClient(URI.create(url));
    // each rule group is evaluated on its own schedule: wait for each series' first evaluation
    assertThat(
            firstValue(
                client, "slo:sli_error:ratio_rate1h{service=\"catalog\",slo=\"availability\"}"))
        .isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(firstValue(client, "slo:objective:ratio{slo=\"availability\"}")).isEqualTo(0.999);
    assertThat(firstValue(client, "slo:error_budget:ratio{slo=\"latency\"}")).isEqualTo(0.05);
  }

  @Test
  void reportGateAndTheRecordedBudgetSeriesStateOneFigureAtTheSameInstant() throws Exception {
    // Once -334% (report) against -930% (slo:error_budget_remaining:ratio, the dashboards' figure).
    PrometheusClient client = new PrometheusClient(URI.create(url));
    for (String slo : List.of("availability", "latency")) {
      String series = "slo:error_budget_remaining:ratio{service=\"catalog\",slo=\"" + slo + "\"}";
      firstValue(client, series);
      Instant now = Instant.now();
      double stamp = client.value("timestamp(" + series + ")", now).orElseThrow();
      Instant evaluated = Instant.ofEpochMilli(Math.round(stamp * 1000));
      double recorded = client.value(series, evaluated).orElseThrow();
      JsonNode rows =
          new ObjectMapper()
              .readTree(
                  run(
                      0,
                      "report",
                      "--prometheus",
                      url,
                      "--at",
                      evaluated.toString(),
                      "--format",
                      "json",
                      CATALOG.toString()));
      JsonNode row = rows.get(slo.equals("availability") ? 0 : 1);
      assertThat(row.get("remaining_percent").asDouble() / 100)
          .as("%s at %s: report vs recorded", slo, evaluated)
          .isCloseTo(recorded, org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void reportStatesHowMuchHistoryItRestsOnAndNeverProjectsExhaustionIntoThePast()
      throws IOException {
    JsonNode rows =
        new ObjectMapper()
            .readTree(
                run(
                    0,
                    "report",
                    "--prometheus",
                    url,
                    "--at",
                    end.toString(),
                    "--format",
                    "json",
                    CATALOG.toString()));
    JsonNode availability = rows.get(0);
    // two hours of data: 120 minutes recorded (the first minute's count needs the sample before)
    assertThat(availability.get("data_coverage_seconds").asLong()).isEqualTo(120L * 60);
    assertThat(availability.get("data_coverage").asText()).endsWith(" of 30d");
    assertThat(availability.get("burn_windows_covered").get("1h").asBoolean()).isTrue();
    assertThat(availability.get("burn_windows_covered").get("6h").asBoolean()).isFalse();
    assertThat(availability.get("burn_windows_covered").get("3d").asBoolean()).isFalse();
    // 0.1% errors against a 99.95% objective: twice the budget is spent. Once printed "exhausted at
    // <now>".
    Path tighter =
        Files.writeString(
            work.resolve("tighter.yaml"),
            Files.readString(CATALOG).replace("objective: 99.9\n", "objective: 99.95\n"));
    JsonNode spent =
        new ObjectMapper()
            .readTree(
                run(
                    0,
                    "report",
                    "--prometheus",
                    url,
                    "--at",
                    end.toString(),
                    "--format",
                    "json",
                    tighter.toString()))
            .get(0);
    assertThat(spent.get("remaining_percent").asDouble())
        .isCloseTo(-100.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(spent.get("budget_spent").asBoolean()).isTrue();
    assertThat(spent.get("exhausted_at").isNull()).isTrue();
    String table =
        run(0, "report", "--prometheus", url, "--at", end.toString(), tighter.toString());
    assertThat(
            table
                .lines()
                .filter(l -> l.startsWith("catalog  availability"))
                .findFirst()
                .orElseThrow())
        .contains("already spent")
        .doesNotContain(end.toString())
        .contains("(partial)");
  }

  /**
   * The series' value once a rule has recorded it, waiting up to 70 s: the SLO groups are evaluated
   * every minute, at an offset of their own.
   */
  private static double firstValue(PrometheusClient client, String series) throws Exception {
    for (int i = 0; i < 700; i++) {
      java.util.OptionalDouble value = client.value(series, Instant.now());
      if (value.isPresent()) {
        return value.getAsDouble();
      }
      Thread.sleep(100);
    }
    return fail(
        "no value of "
            + series
            + " within 70 s of Prometheus' start: its recording rule did not run");
  }

  @Test
  void tableAndMarkdownShowTheSameNumbers() {
    String table =
        run(0, "report", "--prometheus", url, "--at", end.toString(), CATALOG.toString());
    // header + availability, latency, uptime, storefront-lcp
    assertThat(table.lines().toList()).hasSize(5);
    assertThat(table)
        .contains("99.9000%")
        .contains("100.0%")
        .contains("exhausted")
        .contains("healthy")
        .contains("43.2");
    String markdown =
        run(
            0,
            "report",
            "--prometheus",
            url,
            "--at",
            end.toString(),
            "--format",
            "markdown",
            CATALOG.toString());
    assertThat(markdown)
        .startsWith("| service | slo |")
        .contains("| catalog | latency | 95% | 30d | 99.0000% |");
  }

  @Test
  void gateBlocksReleasesWhileABudgetIsExhausted() {
    String out = run(3, "gate", "--prometheus", url, "--at", end.toString(), CATALOG.toString());
    assertThat(out)
        .contains(
            "BLOCK catalog availability: exhausted, 0.0% of the error budget remains: feature freeze")
        .contains("pass catalog latency: healthy, 80.0% of the error budget remains");
  }

  @Test
  void sloWithNoSeriesAtAllReportsNoDataAndWhyInsteadOfHealthyAtHundredPercent()
      throws IOException {
    // This Prometheus holds no blackbox probe series: the uptime SLO has no data at all. Once
    // printed "healthy, 100.0% remaining".
    JsonNode uptime =
        new ObjectMapper()
            .readTree(
                run(
                    0,
                    "report",
                    "--prometheus",
                    url,
                    "--at",
                    end.toString(),
                    "--format",
                    "json",
                    CATALOG.toString()))
            .get(2);
    assertThat(uptime.get("slo").asText()).isEqualTo("uptime");
    assertThat(uptime.get("state").asText()).isEqualTo("no data");
    assertThat(uptime.get("releases_allowed").asBoolean()).isFalse();
    assertThat(uptime.get("sli").isNull()).isTrue();
    assertThat(uptime.get("remaining_percent").isNull()).isTrue();
    assertThat(uptime.get("consumed_percent").isNull()).isTrue();
    assertThat(uptime.get("no_data").asText())
        .isEqualTo(
            "no series matches probe_success{job=\"blackbox-healthz\",service=\"catalog\"} in the"
                + " last 30d");
    String table =
        run(0, "report", "--prometheus", url, "--at", end.toString(), CATALOG.toString());
    assertThat(table.lines().filter(l -> l.startsWith("catalog  uptime")).findFirst().orElseThrow())
        .contains("no data: no series matches probe_success")
        .doesNotContain("healthy")
        .doesNotContain("100.0%");
  }

  @Test
  void misnamedMetricReportsNoDataNamingTheSeriesThatMatchesNothing() throws IOException {
    Path typo =
        Files.writeString(
            work.resolve("typo.yaml"),
            Files.readString(CATALOG)
                .replace("name: availability", "name: availability-typo")
                .replace(
                    "total: sum(rate(http_requests_total{", "total: sum(rate(http_request_total{"));
    JsonNode availability =
        new ObjectMapper()
            .readTree(
                run(
                    0,
                    "report",
                    "--prometheus",
                    url,
                    "--at",
                    end.toString(),
                    "--format",
                    "json",
                    typo.toString()))
            .get(0);
    assertThat(availability.get("state").asText()).isEqualTo("no data");
    assertThat(availability.get("no_data").asText())
        .isEqualTo("no series matches http_request_total{service=\"catalog\"} in the last 30d");
  }

  @Test
  void gateOnAnSloWithNoDataFailsNamingTheMissingSeriesUnlessAllowed() throws IOException {
    String catalog = Files.readString(CATALOG);
    Path uptimeOnly =
        Files.writeString(
            work.resolve("uptime-only.yaml"),
            "apiVersion: vigil/v1\nservice: catalog\nslos:\n"
                + catalog.substring(catalog.indexOf("  - name: uptime")));
    String blocked =
        run(
            GateCommand.NO_DATA,
            "gate",
            "--prometheus",
            url,
            "--at",
            end.toString(),
            uptimeOnly.toString());
    assertThat(blocked)
        .startsWith(
            "NO DATA catalog uptime: no data, no series matches"
                + " probe_success{job=\"blackbox-healthz\",service=\"catalog\"} in the last 30d");
    String allowed =
        run(
            0,
            "gate",
            "--prometheus",
            url,
            "--at",
            end.toString(),
            "--allow-no-data",
            uptimeOnly.toString());
    assertThat(allowed).startsWith("pass catalog uptime: no data").contains("--allow-no-data");
  }

  @Test
  void validateChecksLatencyThresholdsAreBucketBoundaries() throws IOException {
    // the storefront's RUM SLO has no series in this Prometheus: validate the three whose do
    String catalog = Files.readString(CATALOG);
    Path served =
        Files.writeString(
            work.resolve("served.yaml"),
            catalog.substring(0, catalog.indexOf("  - name: storefront-lcp")));
    run(0, "validate", "--prometheus", url, served.toString());
    Path spec =
        Files.writeString(
            work.resolve("slow.yaml"),
            Files.readString(CATALOG).replace("threshold: 0.5", "threshold: 0.3"));
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("validate", "--prometheus", url, spec.toString())).isEqualTo(1);
    String text = Files.readString(spec);
    int at = text.indexOf("threshold: 0.3");
    int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    int column = at - text.lastIndexOf('\n', at) + "threshold: ".length();
    assertThat(err.toString())
        .contains(
            spec
                + ":"
                + line
                + ":"
                + column
                + ": slos[1].sli.latency.threshold: threshold 0.3 s is not a bucket boundary of "
                + "http_request_duration_seconds. Fix: use one of 0.5 or add the boundary to the histogram");
  }

  @Test
  void unreachablePrometheusIsAClearError() throws IOException {
    int free;
    try (ServerSocket s = new ServerSocket(0)) {
      free = s.getLocalPort();
    }
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setErr(new PrintWriter(err, true));
    assertThat(
            cli.execute("report", "--prometheus", "http://127.0.0.1:" + free, CATALOG.toString()))
        .isEqualTo(1);
    assertThat(
            cli.execute("validate", "--prometheus", "http://127.0.0.1:" + free, CATALOG.toString()))
        .isEqualTo(1);
    assertThat(err.toString())
        .contains("error: cannot reach Prometheus at http://127.0.0.1:" + free)
        .doesNotContain("\tat ");
  }

  private static String run(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new SloCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute(args))
        .as("vigil slo %s%n%s", String.join(" ", args), err)
        .isEqualTo(expectedCode);
    return out.toString();
  }

  /** Two hours of per-minute counter samples ending at {@code end}, all starting from 0. */
  private static String openMetrics(Instant end) {
    StringBuilder om = new StringBuilder();
    long start = end.getEpochSecond() - MINUTES * 60L;
    om.append("# TYPE http_requests counter\n");
    for (String status : List.of("200", "500")) {
      for (int m = 0; m <= MINUTES; m++) {
        long value = status.equals("500") ? m : 999L * m;
        om.append("http_requests_total{service=\"catalog\",status=\"")
            .append(status)
            .append("\"} ")
            .append(value)
            .append(' ')
            .append(start + m * 60L)
            .append('\n');
      }
    }
    om.append("# TYPE http_request_duration_seconds histogram\n");
    for (String[] bucket : List.of(new String[] {"0.5", "990"}, new String[] {"+Inf", "1000"})) {
      for (int m = 0; m <= MINUTES; m++) {
        om.append("http_request_duration_seconds_bucket{service=\"catalog\",le=\"")
            .append(bucket[0])
            .append("\"} ")
            .append(Long.parseLong(bucket[1]) * m)
            .append(' ')
            .append(start + m * 60L)
            .append('\n');
      }
    }
    for (int m = 0; m <= MINUTES; m++) {
      om.append("http_request_duration_seconds_count{service=\"catalog\"} ")
          .append(1000L * m)
          .append(' ')
          .append(start + m * 60L)
          .append('\n');
    }
    for (int m = 0; m <= MINUTES; m++) {
      om.append("http_request_duration_seconds_sum{service=\"catalog\"} ")
          .append(100L * m)
          .append(' ')
          .append(start + m * 60L)
          .append('\n');
    }
    return om.append("# EOF\n").toString();
  }

  private static Path tool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return fail(
        name
            + " is not on PATH: install it (Debian: apt-get install prometheus) or run ./vigil test");
  }
}
