package dev.vigil.catalog.rum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.catalog.CatalogClient;
import dev.vigil.catalog.CatalogFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Real-user monitoring end to end: the storefront in a real headless Chromium (Debian's {@code
 * chromium} and {@code chromium-driver}, which {@code ./vigil test} installs) reports page loads,
 * web vitals and API durations to the catalog's beacon, and the order's server trace continues the
 * browser's trace id; the beacon refuses what it must not record.
 */
class StorefrontRumTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;

  private static final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private static PrintStream originalStdout;
  private static CatalogFixture catalog;
  private static CatalogClient client;

  @BeforeAll
  static void start() {
    // the access log (with each request's trace id) goes to stdout: kept to find the order's trace
    originalStdout = System.out;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    catalog = CatalogFixture.builder(dataDir).telemetry("metrics,access-log,tracing").start();
    client = catalog.client();
  }

  @AfterAll
  static void stop() {
    if (catalog != null) {
      catalog.close();
    }
    System.setOut(originalStdout);
  }

  @Test
  void aShopperLoadingTheStorefrontAndOrderingIsSeenInRumMetricsAndTheOrderTraceIsTheBrowsers()
      throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail(
          "the storefront test needs "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + ": install them with 'sudo apt-get install chromium chromium-driver'"
              + " (./vigil test installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriver browser =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build(),
            options);
    String base = "http://127.0.0.1:" + catalog.port();
    String traceId;
    long clickToLeavingNanos;
    try {
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      browser.get(base + "/shop");
      wait.until(d -> !d.findElements(By.cssSelector("#products li a")).isEmpty());
      browser.findElement(By.cssSelector("#products li a")).click();
      wait.until(d -> d.findElement(By.id("order")).isEnabled());
      // the page's one interaction: its INP is this click's latency, from the input to the next
      // paint, which comes before the page is left
      long clicked = System.nanoTime();
      browser.findElement(By.id("order")).click();
      wait.until(d -> d.findElement(By.id("result")).getAttribute("data-trace-id") != null);
      assertThat(browser.findElement(By.id("result")).getAttribute("data-status"))
          .as(browser.findElement(By.id("result")).getText())
          .isEqualTo("201");
      traceId = browser.findElement(By.id("result")).getAttribute("data-trace-id");
      // leaving the page hides it: web-vitals reports LCP, CLS and INP then (its documented moment
      // for the final values: visibilitychange to hidden), and the page beacons them
      browser.get("about:blank");
      clickToLeavingNanos = System.nanoTime() - clicked;
      assertThat(
              browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                  .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                  .map(Object::toString)
                  .toList())
          .as("no script errors in the pages")
          .isEmpty();
    } finally {
      browser.quit();
    }

    awaitAtLeast(1, "rum_web_vital_count", "name", "LCP", "page", "product");
    awaitAtLeast(1, "rum_web_vital_count", "name", "INP", "page", "product");
    assertThat(client.metric("rum_web_vital_count", "name", "INP", "page", "product"))
        .as("the order click, the product page's one interaction, is one INP sample")
        .isEqualTo(1);
    assertThat(client.metric("rum_web_vital_sum", "name", "INP", "page", "product"))
        .as(
            "INP in seconds, at most the %d ms from the click to leaving the page"
                + " (plus the 8 ms to which browsers round event durations)",
            TimeUnit.NANOSECONDS.toMillis(clickToLeavingNanos))
        .isGreaterThanOrEqualTo(0)
        .isLessThanOrEqualTo(clickToLeavingNanos / 1e9 + 0.008);
    // beacons sent as the shopper leaves a page arrive on their own time: wait for each, then
    // assert it counted exactly once
    awaitAtLeast(1, "rum_page_load_seconds_count", "page", "products");
    awaitAtLeast(1, "rum_page_load_seconds_count", "page", "product");
    awaitAtLeast(1, "rum_web_vital_count", "name", "LCP", "page", "products");
    awaitAtLeast(1, "rum_web_vital_count", "name", "CLS", "page", "product");
    awaitAtLeast(1, "rum_web_vital_count", "name", "CLS", "page", "products");
    awaitAtLeast(1, "rum_web_vital_count", "name", "TTFB", "page", "product");
    assertThat(client.metric("rum_page_load_seconds_count", "page", "products")).isEqualTo(1);
    assertThat(client.metric("rum_page_load_seconds_count", "page", "product")).isEqualTo(1);
    assertThat(client.metric("rum_web_vital_count", "name", "LCP", "page", "products"))
        .as("the list page's LCP, reported when the shopper left it")
        .isEqualTo(1);
    assertThat(client.metric("rum_web_vital_count", "name", "CLS", "page", "product")).isEqualTo(1);
    assertThat(client.metric("rum_web_vital_count", "name", "CLS", "page", "products"))
        .as("the list page's CLS, reported when the shopper left it")
        .isEqualTo(1);
    assertThat(client.metric("rum_web_vital_count", "name", "TTFB", "page", "product"))
        .isEqualTo(1);
    assertThat(client.metric("rum_api_duration_seconds_count", "endpoint", "/api/products"))
        .isEqualTo(1);
    assertThat(client.metric("rum_api_duration_seconds_count", "endpoint", "/api/products/{id}"))
        .isEqualTo(1);
    assertThat(client.metric("rum_api_duration_seconds_count", "endpoint", "/api/orders"))
        .isEqualTo(1);

    JsonNode orderLine = accessLine("POST", "/api/orders");
    assertThat(orderLine.path("trace_id").asText())
        .as("the server's trace of the order continues the browser's trace (W3C traceparent)")
        .isEqualTo(traceId);
    assertThat(client.metric("rum_api_duration_seconds_sum", "endpoint", "/api/orders"))
        .as(
            "the browser's time for the order includes the server's (%s ms in the access log)",
            orderLine.path("duration_ms"))
        .isGreaterThanOrEqualTo(orderLine.path("duration_ms").asDouble() / 1000);
  }

  @Test
  void theBeaconRefusesOversizedOrOutOfRangeInputWith4xxAndRecordsNothingOfIt() throws Exception {
    double vitalsBefore = client.metricSum("rum_web_vital_count");
    String lcp = "{\"kind\":\"web_vital\",\"name\":\"LCP\",\"value\":1.0}";
    String[] invalid = {
      "{\"page\":\"admin\",\"samples\":[" + lcp + "]}",
      "{\"page\":\"product\",\"samples\":[{\"kind\":\"web_vital\",\"name\":\"LCP\",\"value\":-1}]}",
      "{\"page\":\"product\",\"samples\":[{\"kind\":\"web_vital\",\"name\":\"LCP\",\"value\":1e400}]}",
      "{\"page\":\"product\",\"samples\":[{\"kind\":\"web_vital\",\"name\":\"CLS\",\"value\":11}]}",
      "{\"page\":\"product\",\"samples\":[{\"kind\":\"web_vital\",\"name\":\"XSS\",\"value\":1}]}",
      "{\"page\":\"product\",\"samples\":["
          + lcp
          + ",{\"kind\":\"api\",\"endpoint\":\"/x\",\"value\":1}]}",
      "{\"page\":\"product\",\"samples\":[]}",
    };
    for (String body : invalid) {
      HttpResponse<String> answer = client.postJson("/rum/beacon", body);
      assertThat(answer.statusCode()).as(body + " -> " + answer.body()).isEqualTo(422);
      assertThat(answer.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    }
    HttpResponse<String> malformed = client.postJson("/rum/beacon", "{\"page\":");
    assertThat(malformed.statusCode()).isEqualTo(400);
    String tooMany = ",{\"kind\":\"page_load\",\"value\":1}".repeat(300);
    HttpResponse<String> oversized =
        client.postJson(
            "/rum/beacon", "{\"page\":\"product\",\"samples\":[" + lcp + tooMany + "]}");
    assertThat(oversized.statusCode()).as(oversized.body()).isEqualTo(413);

    assertThat(client.metricSum("rum_web_vital_count"))
        .as("a refused beacon records none of its samples, not even the valid ones")
        .isEqualTo(vitalsBefore);
    assertThat(client.metric("rum_beacons_total", "outcome", "invalid"))
        .isGreaterThanOrEqualTo(invalid.length);
    assertThat(client.metric("rum_beacons_total", "outcome", "too_large")).isEqualTo(1);
    assertThat(client.metric("rum_beacons_total", "outcome", "malformed")).isEqualTo(1);
  }

  @Test
  void anLcpOfExactly2500MsCountsAsGoodAndOneMillisecondMoreDoesNot() throws Exception {
    // web.dev: LCP is "good" at or below 2500 ms; the SLO counts the le="2.5" bucket as good
    double goodBefore =
        client.metric("rum_web_vital_bucket", "name", "LCP", "page", "products", "le", "2.5");
    double countBefore = client.metric("rum_web_vital_count", "name", "LCP", "page", "products");
    HttpResponse<String> answer =
        client.postJson(
            "/rum/beacon",
            "{\"page\":\"products\",\"samples\":["
                + "{\"kind\":\"web_vital\",\"name\":\"LCP\",\"value\":2.5},"
                + "{\"kind\":\"web_vital\",\"name\":\"LCP\",\"value\":2.501}]}");

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(204);
    assertThat(
            client.metric("rum_web_vital_bucket", "name", "LCP", "page", "products", "le", "2.5"))
        .isEqualTo(goodBefore + 1);
    assertThat(client.metric("rum_web_vital_count", "name", "LCP", "page", "products"))
        .isEqualTo(countBefore + 2);
    for (double threshold : new double[] {0.1, 0.2, 0.25, 0.5, 0.8, 1.8, 2.5, 3, 4}) {
      assertThat(RumBeacon.VITAL_BUCKETS)
          .as("a web-vitals good/poor threshold is a bucket boundary")
          .contains(threshold);
    }
  }

  private static void awaitAtLeast(double value, String name, String... labels) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (client.metric(name, labels) < value && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(client.metric(name, labels))
        .as(name + " " + List.of(labels))
        .isGreaterThanOrEqualTo(value);
  }

  /** The access-log line of the only request with this method and endpoint (waits for it). */
  private static JsonNode accessLine(String method, String endpoint) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<JsonNode> found = new ArrayList<>();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"logger\":\"http.access\"")
            && line.contains("\"endpoint\":\"" + endpoint + "\"")) {
          JsonNode json = JSON.readTree(line);
          if (json.path("method").asText().equals(method)) {
            found.add(json);
          }
        }
      }
    }
    assertThat(found).as("access lines of %s %s", method, endpoint).hasSize(1);
    return found.getFirst();
  }
}
