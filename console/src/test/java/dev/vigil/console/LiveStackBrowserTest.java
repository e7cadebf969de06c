package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.stack.Component;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser over the live local stack ({@link LiveStack}): the real catalog
 * under bounded loopback traffic, its traces in Zipkin, its logs in the stack's log directory, its
 * error groups and profiles behind its admin API. Each walk is checked against a source outside the
 * console: Zipkin's API for traces, the catalog's own log file for requests, the JDK's {@code jfr}
 * tool for recordings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveStackBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LiveStack live;
  private static HeadlessChromium chromium;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    live = LiveStack.get();
    chromium = HeadlessChromium.start();
    browser = chromium.driver;
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  @Order(1)
  void aLiveRequestsExemplarOpensATraceThatExistsInZipkinAndItsAccessLine() throws Exception {
    try (LiveStack.Traffic traffic = live.traffic("/api/products", 20, 2)) {
      browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals");
      // Prometheus scrapes the catalog every second: refresh until the latency panel shows one
      new WebDriverWait(browser, Duration.ofSeconds(90))
          .pollingEvery(Duration.ofSeconds(2))
          .withMessage(
              () -> "no exemplar on the latency panel after " + traffic.answered() + " requests")
          .until(
              d -> {
                if (!browser.findElements(By.cssSelector(".exemplars > span")).isEmpty()) {
                  return true;
                }
                browser.findElement(By.id("refresh")).click();
                return false;
              });
    }
    // both links of the first exemplar, read at once: the page redraws its panels on refresh
    @SuppressWarnings("unchecked")
    List<String> links =
        (List<String>)
            browser.executeScript(
                "const s = document.querySelector('.exemplars > span');"
                    + " return [s.querySelector('.exemplar-trace').href,"
                    + " s.querySelector('.exemplar-logs').href];");
    String traceHref = links.get(0);
    String prefix = live.zipkin.toString().replaceAll("/+$", "") + "/zipkin/traces/";
    assertThat(traceHref).as("the trace in the stack's Zipkin UI").startsWith(prefix);
    String traceId = traceHref.substring(prefix.length());
    assertThat(traceId).matches("[0-9a-f]{32}");

    JsonNode spans = awaitTraceInZipkin(traceId);
    assertThat(spans.toString())
        .as("Zipkin holds the exemplar's request")
        .contains(traceId)
        .contains("/api/products");

    assertThat(links.get(1)).isEqualTo(live.console + "/logs.html?trace=" + traceId);
    browser.get(links.get(1));
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !chromium.rows("#lines").isEmpty());
    List<String> lines = chromium.rows("#lines");
    assertThat(lines)
        .as("the request's access line, from the catalog's own log file")
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("catalog.log")
                    .contains("\"logger\":\"http.access\"")
                    .contains("GET /api/products 200")
                    .contains(traceId));
    assertThat(accessLines().stream().filter(j -> traceId.equals(j.path("trace_id").asText())))
        .as("catalog.log has the line the page shows")
        .isNotEmpty();
    chromium.screenshot("live-logs.png");
    chromium.assertNoConsoleErrors();
  }

  @Test
  @Order(2)
  void errorsPageListsTheCatalogsErrorGroupWithItsCountAndItsRequestsTraces() throws Exception {
    int failures = 3;
    for (int i = 0; i < failures; i++) {
      HttpResponse<String> r = get(live.catalog.resolve("/data/error"));
      assertThat(r.statusCode()).isEqualTo(500);
    }
    // the truth: the trace ids of the failed requests, from the catalog's access lines
    List<String> failedTraces = new ArrayList<>();
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            d -> {
              failedTraces.clear();
              accessLines().stream()
                  .filter(j -> j.path("path").asText().equals("/data/error"))
                  .filter(j -> j.path("status").asInt() == 500)
                  .forEach(j -> failedTraces.add(j.path("trace_id").asText()));
              return failedTraces.size() == failures;
            });

    browser.get(live.console + "/errors.html");
    String catalog = "section[data-service=catalog]";
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !chromium.rows(catalog + " table").isEmpty());
    assertThat(browser.findElement(By.cssSelector(catalog)).getAttribute("data-state"))
        .isEqualTo("ok");
    List<String> groups = chromium.rows(catalog + " table");
    assertThat(groups)
        .as("one fingerprint for the one failure, counted once per request")
        .singleElement()
        .asString()
        .contains("PipelineFailure")
        .contains("deliberate pipeline failure")
        .contains(" " + failures + " ");
    List<String> linked =
        browser.findElements(By.cssSelector(catalog + " .error-trace")).stream()
            .map(a -> a.getAttribute("href"))
            .map(h -> h.substring(h.lastIndexOf('/') + 1))
            .toList();
    assertThat(linked)
        .as("the latest traces are those of the failed requests")
        .containsExactlyInAnyOrderElementsOf(failedTraces);
    assertThat(
            browser
                .findElement(By.cssSelector("section[data-service=payments]"))
                .getAttribute("data-state"))
        .isEqualTo("ok");
    assertThat(chromium.rows("section[data-service=payments] table"))
        .containsExactly("no unhandled exception since payments started");
    assertThat(browser.getPageSource())
        .as("the admin token stays on the server")
        .doesNotContain(live.admin.token());
    assertThat(get(live.console.resolve("/api/errors")).body()).doesNotContain(live.admin.token());
    chromium.screenshot("errors.png");
    chromium.reportTiming("errors");

    browser.get(browser.findElement(By.cssSelector(catalog + " .error-logs")).getAttribute("href"));
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !chromium.rows("#lines").isEmpty());
    assertThat(chromium.rows("#lines"))
        .as("the failed request's lines: its access line with status 500")
        .anySatisfy(l -> assertThat(l).contains("GET /data/error 500"));
    chromium.assertNoConsoleErrors();
  }

  @Test
  @Order(3)
  void profilesPageRendersTheCatalogsSavedProfileWithTheSlowestRequestsTraces() throws Exception {
    HttpResponse<String> profile;
    try (LiveStack.Traffic traffic = live.traffic("/api/products", 50, 4)) {
      // the operator asks for a profile (vigil profile does the same); the console never does
      profile =
          HTTP.send(
              HttpRequest.newBuilder(
                      live.admin
                          .url("catalog")
                          .resolve("/admin/profile?seconds=3&settings=profile"))
                  .header("Authorization", live.admin.authorization())
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    }
    assertThat(profile.statusCode()).as(profile.body()).isEqualTo(200);
    Path file = Path.of(profile.headers().firstValue("X-Profile-File").orElseThrow());
    assertThat(file.getParent()).isEqualTo(live.state.resolve("profiles").toAbsolutePath());

    browser.get(live.console + "/profiles.html");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> !chromium.rows("#top-methods").isEmpty());
    assertThat(chromium.rows("#profiles"))
        .anySatisfy(r -> assertThat(r).contains("catalog").contains("profile"));
    long shown =
        Long.parseLong(
            browser
                .findElement(By.id("summary-window"))
                .getText()
                .replaceAll(".*\\), (\\d+) CPU samples.*", "$1"));
    assertThat(shown)
        .as("CPU samples shown = jdk.ExecutionSample events counted by the JDK's jfr tool")
        .isEqualTo(SavedProfilesTest.jfrEventCount(file, "jdk.ExecutionSample"))
        .isPositive();
    assertThat(chromium.rows("#top-methods")).isNotEmpty();
    assertThat(chromium.rows("#slowest"))
        .as("requests of the traffic in the window")
        .anySatisfy(r -> assertThat(r).contains("GET").contains("/api/products").contains("200"));
    List<String> traced =
        browser.findElements(By.cssSelector("#slowest .request-trace")).stream()
            .map(a -> a.getAttribute("href"))
            .toList();
    assertThat(traced).as("the slowest requests link to their traces").isNotEmpty();
    String traceId = traced.get(0).substring(traced.get(0).lastIndexOf('/') + 1);
    assertThat(awaitTraceInZipkin(traceId).toString()).contains(traceId);
    chromium.screenshot("profiles.png");
    chromium.reportTiming("profiles");
    chromium.assertNoConsoleErrors();
  }

  @Test
  @Order(4)
  void renderTimesOfTheHomeAndDashboardPagesUnderTrafficAreReported() throws Exception {
    StringBuilder report = new StringBuilder();
    try (LiveStack.Traffic traffic = live.traffic("/api/products", 100, 8)) {
      for (String page :
          List.of(
              "/",
              "/dashboard.html?uid=vigil-catalog-golden-signals",
              "/dashboard.html?uid=vigil-catalog-slo",
              "/slo.html?service=catalog&slo=latency",
              "/errors.html",
              "/profiles.html")) {
        for (int round = 1; round <= 3; round++) {
          browser.get(live.console + page);
          new WebDriverWait(browser, Duration.ofSeconds(60))
              .until(d -> chromium.timing().get("drawn") >= 0);
          Map<String, Long> t = chromium.timing();
          report
              .append(
                  String.format(
                      "%-55s round %d: navigation %5d ms, data drawn %5d ms",
                      page, round, t.get("navigation"), t.get("drawn")))
              .append('\n');
        }
        report
            .append("  slowest requests of the last round:\n    ")
            .append(chromium.slowestRequests(4).replace("\n", "\n    "))
            .append('\n');
      }
      report
          .append("traffic: ")
          .append(traffic.answered())
          .append(" catalog requests answered meanwhile; load average ")
          .append(Files.readString(Path.of("/proc/loadavg")).trim());
    }
    System.out.println("console render times under traffic (100 req/s to the catalog):\n" + report);
    chromium.assertNoConsoleErrors();
  }

  /** The catalog's access lines so far, from its log file in the stack's log directory. */
  private static List<JsonNode> accessLines() {
    Path log = live.stack.layout().logFile(Component.CATALOG);
    List<JsonNode> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(log)) {
      lines.forEach(
          line -> {
            try {
              JsonNode j = JSON.readTree(line);
              if (j != null && "http.access".equals(j.path("logger").asText())) {
                out.add(j);
              }
            } catch (IOException notJson) {
              // a line being written
            }
          });
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + log, e);
    }
    return out;
  }

  /**
   * The trace's spans from Zipkin's API, waiting until its server span is there: the catalog's
   * reporter sends spans as they end, so a request's database span can arrive before its own.
   */
  private static JsonNode awaitTraceInZipkin(String traceId) throws Exception {
    URI uri = live.zipkin.resolve("/api/v2/trace/" + traceId);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = get(uri);
      if (last.statusCode() == 200) {
        JsonNode spans = JSON.readTree(last.body());
        for (JsonNode span : spans) {
          if ("SERVER".equals(span.path("kind").asText())) {
            return spans;
          }
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "Zipkin has no server span of trace "
            + traceId
            + " after 30 s (last answer "
            + (last == null ? "none" : last.statusCode() + " " + last.body())
            + ")");
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
