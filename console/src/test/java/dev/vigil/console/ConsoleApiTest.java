package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.slo.report.HtmlReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's JSON endpoints against a real Prometheus holding known traffic ({@link
 * LiveConsole}): every number is checked against the traffic written in the fixture, not against
 * the budget code.
 */
class ConsoleApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LiveConsole live;

  @BeforeAll
  static void start() throws Exception {
    live = LiveConsole.get();
  }

  @Test
  void homeListsTheExhaustedSloFirstWithBudgetsFromTheKnownTraffic() throws Exception {
    JsonNode slos = get("/api/overview", 200).get("slos");
    // slos/catalog.yaml: availability and latency (request-based, fed below), uptime
    // (probe-based, no probe data here) and storefront-lcp (real users, no beacon data here)
    assertThat(slos).hasSize(4);
    // oracle: 1 of 1000 requests failed against a 0.1% budget (all spent); 10 of 1000 slow against
    // 5% (20% spent)
    double availabilitySli =
        100.0
            * (LiveConsole.REQUESTS_PER_MINUTE - LiveConsole.ERRORS_PER_MINUTE)
            / LiveConsole.REQUESTS_PER_MINUTE;
    double slowShare =
        (double) (LiveConsole.REQUESTS_PER_MINUTE - LiveConsole.FAST_PER_MINUTE)
            / LiveConsole.REQUESTS_PER_MINUTE;
    JsonNode first = slos.get(0);
    assertThat(first.get("slo").asText())
        .as("the SLO with the least budget left comes first")
        .isEqualTo("availability");
    assertThat(first.get("sli_percent").asDouble()).isCloseTo(availabilitySli, offset(1e-9));
    assertThat(first.get("remaining_percent").asDouble()).isCloseTo(0.0, offset(1e-6));
    assertThat(first.get("state").asText()).isEqualTo("exhausted");
    assertThat(first.get("budget_minutes").asText()).as("0.1% of 30 days").isEqualTo("43.2");
    JsonNode latency = slos.get(1);
    assertThat(latency.get("slo").asText()).isEqualTo("latency");
    assertThat(latency.get("remaining_percent").asDouble())
        .isCloseTo(100 * (1 - slowShare / 0.05), offset(1e-6));
    assertThat(latency.get("state").asText()).isEqualTo("healthy");
    JsonNode uptime = slos.get(2);
    assertThat(uptime.get("slo").asText()).isEqualTo("uptime");
    assertThat(uptime.get("sli_percent").isNull()).as("no probe data: no SLI, not 100%").isTrue();
    JsonNode storefront = slos.get(3);
    assertThat(storefront.get("slo").asText()).isEqualTo("storefront-lcp");
    assertThat(storefront.get("sli_percent").isNull()).as("no RUM data: no SLI").isTrue();
  }

  @Test
  void homeShowsFiringAndPendingAlertsTargetsAndNotificationsNewestFirst() throws Exception {
    JsonNode overview =
        awaitOverview(
            o ->
                names(o.get("alerts"))
                        .containsAll(List.of("ConsoleTestFiring", "ConsoleTestPending"))
                    && o.get("services").size() == 2
                    && o.get("services").findValuesAsText("health").equals(List.of("up", "up")));
    JsonNode alerts = overview.get("alerts");
    assertThat(alerts.get(0).get("name").asText())
        .as("firing alerts come before pending ones")
        .isEqualTo("ConsoleTestFiring");
    assertThat(alerts.get(0).get("state").asText()).isEqualTo("firing");
    assertThat(find(alerts, "ConsoleTestPending").get("state").asText()).isEqualTo("pending");
    assertThat(overview.get("services").findValuesAsText("job"))
        .as("Prometheus itself and the exemplar target, by job")
        .containsExactly("catalog-exemplars", "prometheus");
    JsonNode service = overview.get("services").get(1);
    assertThat(service.get("instance").asText()).isEqualTo(live.prometheus.getAuthority());
    JsonNode notifications = overview.get("notifications");
    assertThat(notifications).as("two JSON lines; the line that is not JSON is skipped").hasSize(2);
    assertThat(notifications.get(0).get("status").asText())
        .as("newest first")
        .isEqualTo("resolved");
    assertThat(notifications.get(1).get("status").asText()).isEqualTo("firing");
  }

  @Test
  void sloPageStatesBudgetInPercentAndMinutes() throws Exception {
    JsonNode latency = get("/api/slos/catalog/latency", 200);
    assertThat(latency.get("objective_percent").asDouble()).isEqualTo(95.0);
    assertThat(latency.get("sli_percent").asDouble()).isCloseTo(99.0, offset(1e-9));
    assertThat(latency.get("remaining_percent").asDouble()).isCloseTo(80.0, offset(1e-6));
    // 5% of 30 days = 2160 minutes of full outage; 80% of them remain
    assertThat(latency.get("budget_minutes").asDouble()).isEqualTo(2160.0);
    assertThat(latency.get("remaining_minutes").asDouble()).isCloseTo(1728.0, offset(1e-3));
    assertThat(latency.get("burn_rates").get("1h").asDouble()).isCloseTo(0.2, offset(1e-9));
  }

  @Test
  void chartSeriesAreTheRecordedErrorRatioOverTheChosenRange() throws Exception {
    // the recording rules run from Prometheus' start: wait for a few evaluations
    JsonNode series = null;
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      series =
          get(
              "/api/slos/catalog/availability/series?series=error_ratio_1h&range=15m&points=300",
              200);
      if (series.get("points").size() >= 3) {
        break;
      }
      Thread.sleep(500);
    }
    assertThat(series.get("points").size())
        .as("points of the recorded 1h error ratio within 30 s")
        .isGreaterThanOrEqualTo(3);
    assertThat(series.get("query").asText())
        .isEqualTo("slo:sli_error:ratio_rate1h{service=\"catalog\",slo=\"availability\"}");
    assertThat(series.get("step_seconds").asDouble()).as("15m over 300 points").isEqualTo(3.0);
    for (JsonNode p : series.get("points")) {
      assertThat(p.get(1).asDouble())
          .as("1 error in 1000 requests")
          .isCloseTo(0.001, offset(1e-12));
    }
    // the same values through the shared client's range query
    PrometheusClient client = new PrometheusClient(live.prometheus);
    Instant now = Instant.now();
    List<PrometheusClient.RangeSeries> direct =
        client.range(series.get("query").asText(), now.minusSeconds(60), now, 5);
    assertThat(direct).hasSize(1);
    assertThat(direct.get(0).labels()).containsEntry("slo", "availability");
    assertThat(direct.get(0).points())
        .isNotEmpty()
        .allSatisfy(p -> assertThat(p.value()).isCloseTo(0.001, offset(1e-12)));
    double last = 0;
    for (PrometheusClient.Point p : direct.get(0).points()) {
      assertThat(p.epochSeconds()).as("points in time order, one step apart").isGreaterThan(last);
      last = p.epochSeconds();
    }
  }

  @Test
  void unknownSloIs404AndABadRangeIs400WithProblemJson() throws Exception {
    JsonNode missing = get("/api/slos/catalog/nope", 404);
    assertThat(missing.get("detail").asText()).contains("no SLO 'nope' of service 'catalog'");
    JsonNode badRange = get("/api/slos/catalog/latency/series?range=soon", 400);
    assertThat(badRange.get("detail").asText())
        .contains("range 'soon' is not a Prometheus duration");
    JsonNode badSeries = get("/api/slos/catalog/latency/series?series=cpu", 400);
    assertThat(badSeries.get("detail").asText())
        .contains("unknown series 'cpu'")
        .contains("error_ratio_1h");
    assertThat(get("/api/annotations?range=1h&end=yesterday", 400).get("detail").asText())
        .contains("end 'yesterday' is not an instant in epoch seconds");
    assertThat(
            get("/api/dashboards/vigil-catalog-slo/panels/1?end=1e99", 400).get("detail").asText())
        .contains("end '1e99'");
    assertThat(get("/api/alerts/SloBurnRatePage/graph?slo=nope", 404).get("detail").asText())
        .contains("no alerting rule SloBurnRatePage with {slo=nope}");
  }

  @Test
  void errorsWithoutAnAdminTokenAre200WithAStatePerServiceNever500() throws Exception {
    JsonNode services = get("/api/errors", 200).get("services");
    assertThat(services.findValuesAsText("service")).containsExactly("catalog", "payments");
    assertThat(services.findValuesAsText("state")).containsExactly("no token", "no token");
  }

  @Test
  void profilesWithoutRecordingsAreAnEmptyListAndAPathIsRefused() throws Exception {
    assertThat(get("/api/profiles", 200).get("profiles")).isEmpty();
    assertThat(get("/api/profiles/passwd.txt", 400).get("detail").asText())
        .contains("is not a saved profile's file name");
    assertThat(
            get("/api/profiles/catalog-20261202T060000Z-profile.jfr", 404).get("detail").asText())
        .contains("no saved profile");
  }

  @Test
  void aSavedBacktestIsListedAndServedWithoutScriptsAndAPathIsRefused() throws Exception {
    Path dir = Files.createDirectories(live.work.resolve("backtests"));
    String html = HtmlReport.document("vigil SLO backtest", "<h1>SLO backtest</h1><svg></svg>");
    Files.writeString(dir.resolve("backtest-20261207T170000Z.html"), html);
    Files.writeString(dir.resolve("notes.txt"), "not a report");

    JsonNode listed = get("/api/backtests", 200).get("backtests");
    assertThat(listed.findValuesAsText("id")).containsExactly("backtest-20261207T170000Z.html");
    assertThat(listed.get(0).get("bytes").asLong()).isEqualTo(html.length());

    HttpResponse<String> report =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(live.console + "/api/backtests/backtest-20261207T170000Z.html"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(report.statusCode()).isEqualTo(200);
    assertThat(report.body()).isEqualTo(html);
    assertThat(report.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(report.headers().firstValue("Content-Security-Policy"))
        .as("a report dropped into the directory cannot run a script in the console's origin")
        .hasValueSatisfying(p -> assertThat(p).contains("default-src 'none'"));
    assertThat(get("/api/backtests/notes.txt", 400).get("detail").asText())
        .contains("is not a saved backtest's file name");
    assertThat(get("/api/backtests/backtest-20000101T000000Z.html", 404).get("detail").asText())
        .contains("no saved backtest");
  }

  private static JsonNode awaitOverview(java.util.function.Predicate<JsonNode> ready)
      throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode overview = null;
    while (System.nanoTime() < deadline) {
      overview = get("/api/overview", 200);
      if (ready.test(overview)) {
        return overview;
      }
      Thread.sleep(250);
    }
    return fail(
        "the overview did not show the test alerts and an up target within 30 s: " + overview);
  }

  private static List<String> names(JsonNode alerts) {
    List<String> out = new ArrayList<>();
    alerts.forEach(a -> out.add(a.get("name").asText()));
    return out;
  }

  private static JsonNode find(JsonNode alerts, String name) {
    for (JsonNode a : alerts) {
      if (a.get("name").asText().equals(name)) {
        return a;
      }
    }
    return fail("no alert " + name + " in " + alerts);
  }

  static JsonNode get(String path, int expectedStatus) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(live.console + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("GET %s: %s", path, response.body())
        .isEqualTo(expectedStatus);
    return JSON.readTree(response.body());
  }
}
