package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What Pyrra and Grafana users have beside the budget (issue 27), in a real browser against {@link
 * LiveConsole}'s known traffic: per SLO its request and error graphs, each burn-rate alert's time
 * to exhaustion, tags and filters on the SLO list, and a dashboard panel's inspect view. Every
 * figure is checked against a computation from the fixture's constants, never against the console's
 * own arithmetic.
 */
class ConsolePyrraGrafanaBrowserTest {

  /** 30 days, the catalog SLOs' period, in seconds. */
  private static final double PERIOD_SECONDS = 30 * 86400.0;

  private static LiveConsole live;
  private static HeadlessChromium chromium;
  private static ChromeDriver browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    live = LiveConsole.get();
    chromium = HeadlessChromium.start();
    browser = chromium.driver;
  }

  @AfterAll
  static void stopBrowser() {
    if (chromium != null) {
      chromium.close();
    }
  }

  @Test
  void theSloPageGraphsItsRequestsPerSecondAndItsErrorRatioFromTheKnownHistory() throws Exception {
    // the latency SLO: 1000 requests a minute, 990 of them under 0.5 s
    browser.get(live.console + "/slo.html?service=catalog&slo=latency&range=1h");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> pointsOf("requests") > 0 && pointsOf("errors") > 0);
    double perSecond = LiveConsole.REQUESTS_PER_MINUTE / 60.0;
    double slowRatio =
        (LiveConsole.REQUESTS_PER_MINUTE - LiveConsole.FAST_PER_MINUTE)
            / (double) LiveConsole.REQUESTS_PER_MINUTE;
    // the history ended 5 minutes before the console started: the hour before the page's end
    // (taken after the charts were drawn, so it starts no later than this) holds this many of its
    // minutes, one point each, at most one lost at the range's edge; after the history, the live
    // recordings count the exemplar target's counter, which never moves: 0 requests, and no error
    // ratio (0 of 0)
    long historyEnd = live.historyEnd.getEpochSecond();
    long minutes = (historyEnd - (java.time.Instant.now().getEpochSecond() - 3600)) / 60;
    assertThat(minutes)
        .as("the test runs within 45 minutes of the history's end")
        .isGreaterThan(15);
    List<List<Number>> requests = plotted("requests");
    assertThat(requests.stream().filter(p -> p.get(0).longValue() <= historyEnd))
        .as("one point per recorded minute of the history in the hour")
        .hasSizeGreaterThanOrEqualTo((int) minutes - 1)
        .allSatisfy(
            p ->
                assertThat(p.get(1).doubleValue())
                    .as("%s requests a minute at %s", LiveConsole.REQUESTS_PER_MINUTE, p.get(0))
                    .isCloseTo(perSecond, offset(1e-6)));
    assertThat(requests.stream().filter(p -> p.get(0).longValue() >= historyEnd + 120))
        .as("no request after the history")
        .allSatisfy(p -> assertThat(p.get(1).doubleValue()).isZero());
    List<List<Number>> errors = plotted("errors");
    assertThat(errors)
        .as("slow requests: %s in %s", 1000 - 990, 1000)
        .hasSizeGreaterThanOrEqualTo((int) minutes - 1)
        .allSatisfy(
            p -> {
              assertThat(p.get(0).longValue()).isLessThan(historyEnd + 120);
              assertThat(p.get(1).doubleValue()).isCloseTo(slowRatio, offset(1e-9));
            });
    assertThat(browser.findElement(By.id("requests-title")).getText())
        .isEqualTo("Requests per second");
    assertThat(browser.findElement(By.id("errors-title")).getText())
        .isEqualTo("Error ratio: slow requests (over 0.5 s) / requests");
    assertThat(legend("requests"))
        .as("the latest minute, after the history")
        .containsExactly("0.00 req/s");
    assertThat(legend("errors")).containsExactly("1.00%");
    assertThat(browser.findElement(By.id("requests")).getAttribute("title"))
        .as("the query: the recorded minute counts, summed per step")
        .isEqualTo(
            "sum_over_time(slo:sli_total:increase1m{service=\"catalog\",slo=\"latency\"}"
                + "[59s999ms]) / 60");
    browser.executeScript(
        "document.getElementById('requests').closest('section').scrollIntoView();");
    chromium.screenshot("slo-requests-errors.png");
    // the availability SLO: 1 of the 1000 requests a minute is a 5xx; the range from the URL
    browser.get(live.console + "/slo.html?service=catalog&slo=availability&range=1h");
    wait.until(d -> pointsOf("requests") > 0 && pointsOf("errors") > 0);
    assertThat(plotted("errors"))
        .hasSizeGreaterThanOrEqualTo((int) minutes - 1)
        .allSatisfy(
            p ->
                assertThat(p.get(1).doubleValue())
                    .isCloseTo(
                        LiveConsole.ERRORS_PER_MINUTE / (double) LiveConsole.REQUESTS_PER_MINUTE,
                        offset(1e-9)));
    assertThat(browser.findElement(By.id("errors-title")).getText())
        .isEqualTo("Error ratio: errors / requests");
    chromium.assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void eachBurnRateAlertRowSaysWhenTheBudgetIsExhaustedAtItsCurrentBurnRate() throws Exception {
    browser.get(live.console + "/slo.html?service=catalog&slo=latency");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> rows("window-pairs").size() == 4 && !rows("window-pairs").get(0).isEmpty());
    // independent of the console: 10 slow requests in 1000 against a 5% budget burn at 0.2 in
    // every window of the history, and have spent 20% of the 30-day budget; at 0.2 the 80% left
    // lasts 0.8 x 30 d / 0.2 = 120 d (Google SRE Workbook, ch. 5)
    double slowRatio =
        (LiveConsole.REQUESTS_PER_MINUTE - LiveConsole.FAST_PER_MINUTE)
            / (double) LiveConsole.REQUESTS_PER_MINUTE;
    double burn = slowRatio / 0.05;
    double remaining = 1 - burn;
    double expected = remaining * PERIOD_SECONDS / burn;
    List<Map<String, Object>> alerts = alertRows();
    assertThat(alerts)
        .extracting(a -> a.get("tier"))
        .containsExactly("page-1h", "page-6h", "ticket-1d", "ticket-3d");
    for (Map<String, Object> a : alerts) {
      assertThat(a.get("alert"))
          .isEqualTo(
              String.valueOf(a.get("tier")).startsWith("page")
                  ? "SloBurnRatePage"
                  : "SloBurnRateTicket");
      assertThat(Double.parseDouble(String.valueOf(a.get("burn"))))
          .as("%s: the long window's burn rate", a.get("tier"))
          .isCloseTo(burn, offset(5e-4));
      assertThat(a.get("for")).as("the generated rules' for").isEqualTo("0s");
      assertThat(a.get("state")).isEqualTo("inactive");
      assertThat(Double.parseDouble(String.valueOf(a.get("seconds"))))
          .as("%s: 0.8 x 30 d / 0.2", a.get("tier"))
          .isCloseTo(expected, offset(expected * 1e-9));
      assertThat(a.get("exhaustion")).isEqualTo("120d");
    }
    browser.executeScript(
        "document.getElementById('window-pairs').closest('section').scrollIntoView();");
    chromium.screenshot("slo-alert-exhaustion.png");
    // availability: 1 error in 1000 against a 0.1% budget has spent all of it
    browser.get(live.console + "/slo.html?service=catalog&slo=availability");
    wait.until(d -> rows("window-pairs").size() == 4 && !rows("window-pairs").get(0).isEmpty());
    assertThat(alertRows())
        .allSatisfy(
            a ->
                assertThat(
                        a.get("exhaustion").equals("exhausted")
                            || Double.parseDouble(String.valueOf(a.get("seconds"))) < 1)
                    .as("%s: the spent budget is exhausted now (%s)", a.get("tier"), a)
                    .isTrue());
    chromium.assertNoConsoleErrors();
  }

  @Test
  void theSloListFiltersByKindStateServiceAndNameAndAReloadKeepsTheFilter() throws Exception {
    // slos/catalog.yaml: availability (events, exhausted), latency (latency, healthy), uptime
    // (timeslices, no data here), storefront-lcp (latency, no data here), all of service catalog
    // with the spec's label team=catalog
    browser.get(live.console + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(d -> sloNames().size() == 4);
    assertThat(rows("slos"))
        .as("each SLO's tags: its kind and the spec's labels")
        .anySatisfy(r -> assertThat(r).startsWith("catalog availability events team=catalog "))
        .anySatisfy(r -> assertThat(r).startsWith("catalog latency latency team=catalog "))
        .anySatisfy(r -> assertThat(r).startsWith("catalog uptime timeslices team=catalog "));
    select("filter-kind", "latency");
    wait.until(d -> sloNames().size() == 2);
    assertThat(sloNames()).containsExactlyInAnyOrder("latency", "storefront-lcp");
    select("filter-state", "healthy");
    wait.until(d -> sloNames().size() == 1);
    assertThat(sloNames()).containsExactly("latency");
    assertThat(browser.getCurrentUrl()).endsWith("/?kind=latency&state=healthy");
    browser.navigate().refresh();
    wait.until(d -> !rows("slos").isEmpty() && !sloNames().isEmpty());
    assertThat(sloNames()).as("the reload keeps the filter").containsExactly("latency");
    assertThat(browser.findElement(By.id("filter-kind")).getAttribute("value"))
        .isEqualTo("latency");
    assertThat(browser.findElement(By.id("filter-state")).getAttribute("value"))
        .isEqualTo("healthy");
    assertThat(browser.findElement(By.id("slo-count")).getText()).isEqualTo("1 of 4 SLOs match");
    chromium.screenshot("home-filtered.png");
    // free text: a name's part, with the state filter cleared
    select("filter-state", "");
    browser.findElement(By.id("filter-text")).sendKeys("LCP");
    wait.until(d -> sloNames().size() == 1 && sloNames().get(0).equals("storefront-lcp"));
    assertThat(browser.getCurrentUrl()).endsWith("/?kind=latency&q=LCP");
    select("filter-kind", "");
    browser.findElement(By.id("filter-text")).clear();
    browser.findElement(By.id("filter-text")).sendKeys("x");
    browser.findElement(By.id("filter-text")).sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
    wait.until(d -> sloNames().size() == 4);
    // states: exhausted is the availability SLO only
    select("filter-state", "exhausted");
    wait.until(d -> sloNames().size() == 1);
    assertThat(sloNames()).containsExactly("availability");
    // a service no SLO belongs to, from a shared link: nothing matches, and the page says so
    browser.get(live.console + "/?service=payments");
    wait.until(d -> text(rows("slos")).equals("no SLO matches the filter"));
    assertThat(browser.findElement(By.id("filter-service")).getAttribute("value"))
        .isEqualTo("payments");
    browser.get(live.console + "/?service=catalog");
    wait.until(d -> sloNames().size() == 4);
    chromium.assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPanelsInspectShowsItsQueriesAsPrometheusReceivedThemAndItsDrawnPointsAsTableAndCsv()
      throws Exception {
    browser.get(
        live.console
            + "/dashboard.html?uid=vigil-catalog-golden-signals&range=1h&var-service=catalog");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    // no auto-refresh: the panel keeps the data it was inspected with
    select("auto", "0");
    String panel =
        (String)
            browser.executeScript(
                "return [...document.querySelectorAll('.panel-timeseries')]"
                    + ".find(p => Number(p.querySelector('.panel-body').dataset.points) > 0).id;");
    browser.findElement(By.cssSelector("#" + panel + " button.inspect")).click();
    wait.until(d -> browser.findElement(By.id("inspect")).isDisplayed());
    List<Map<String, Object>> queries =
        (List<Map<String, Object>>)
            browser.executeScript(
                "return [...document.querySelectorAll('#inspect-queries .inspect-query')].map(q =>"
                    + " ({expr: q.querySelector('pre.query').textContent, step: Number(q.dataset.step),"
                    + " start: Number(q.dataset.start), end: Number(q.dataset.end)}));");
    assertThat(queries).isNotEmpty();
    // what Prometheus ran, from its own query log: each shown query, with its range and step
    List<Map<String, Object>> logged = new java.util.ArrayList<>();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : java.nio.file.Files.readAllLines(live.work.resolve(LiveConsole.QUERY_LOG))) {
      if (line.contains("\"params\"")) {
        logged.add((Map<String, Object>) json.readValue(line, Map.class).get("params"));
      }
    }
    for (Map<String, Object> q : queries) {
      String expr = String.valueOf(q.get("expr"));
      assertThat(expr)
          .as("the variables substituted")
          .doesNotContain("$")
          .contains("service=\"catalog\"");
      assertThat(logged)
          .as(
              "Prometheus ran %s from %s to %s at step %s",
              expr, q.get("start"), q.get("end"), q.get("step"))
          .anySatisfy(
              l -> {
                assertThat(l.get("query")).isEqualTo(expr);
                assertThat(((Number) l.get("step")).doubleValue())
                    .isEqualTo(((Number) q.get("step")).doubleValue());
                assertThat(java.time.Instant.parse(String.valueOf(l.get("start"))).toEpochMilli())
                    .isEqualTo(Math.round(((Number) q.get("start")).doubleValue() * 1000));
                assertThat(java.time.Instant.parse(String.valueOf(l.get("end"))).toEpochMilli())
                    .isEqualTo(Math.round(((Number) q.get("end")).doubleValue() * 1000));
              });
    }
    // the data table: one row per point the chart drew, with its value
    List<String> drawn =
        (List<String>)
            browser.executeScript(
                "const u = document.querySelector('#' + arguments[0] + ' .panel-body').plot, out = [];"
                    + "for (let i = 1; i < u.series.length; i++) u.data[i].forEach((v, j) => {"
                    + "  if (v != null) out.push(u.data[0][j] + ' ' + u.series[i].label + ' ' + v); });"
                    + "return out;",
                panel);
    List<String> table =
        (List<String>)
            browser.executeScript(
                "return [...document.querySelectorAll('#inspect-data tbody tr')].map(r =>"
                    + " r.cells[0].dataset.t + ' ' + r.cells[1].textContent + ' ' + r.cells[2].textContent);");
    assertThat(drawn).isNotEmpty();
    assertThat(table)
        .as("the table holds the drawn points")
        .containsExactlyInAnyOrderElementsOf(drawn);
    chromium.screenshot("dashboard-inspect.png");
    // the CSV download: the same rows, times in ISO 8601 UTC
    assertThat(browser.findElement(By.id("inspect-csv")).getAttribute("download")).endsWith(".csv");
    String csv =
        (String)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "fetch(document.getElementById('inspect-csv').href).then(r => r.text()).then(done);");
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0)).isEqualTo("time,series,value");
    assertThat(lines).hasSize(table.size() + 1);
    String firstTime = table.get(0).substring(0, table.get(0).indexOf(' '));
    String firstValue = table.get(0).substring(table.get(0).lastIndexOf(' ') + 1);
    assertThat(lines.get(1))
        .startsWith(
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(
                        java.time.Instant.ofEpochMilli(
                            Math.round(Double.parseDouble(firstTime) * 1000)))
                + ",")
        .endsWith("," + firstValue);
    browser.findElement(By.id("inspect-close")).click();
    assertThat(browser.findElement(By.id("inspect")).isDisplayed()).isFalse();
    chromium.assertNoConsoleErrors();
  }

  /** The names of the SLOs the home page's table lists (its rows' links). */
  @SuppressWarnings("unchecked")
  private static List<String> sloNames() {
    return (List<String>)
        browser.executeScript(
            "return [...document.querySelectorAll('#slos tbody tr td:nth-child(2) a')]"
                + ".map(a => a.textContent);");
  }

  /** Chooses an option of a select by its value, as a user does. */
  private static void select(String id, String value) {
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id(id))).selectByValue(value);
  }

  private static String text(List<String> rows) {
    return String.join("\n", rows);
  }

  /**
   * The SLO page's burn-rate alert rows: tier, alert, long-window burn, for, alert state, time to
   * exhaustion (text and seconds).
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> alertRows() {
    return (List<Map<String, Object>>)
        browser.executeScript(
            "return [...document.querySelectorAll('#window-pairs tbody tr')].map(r => ({"
                + " tier: r.cells[0].innerText, alert: r.cells[1].innerText,"
                + " burn: r.cells[3].innerText, for: r.cells[7].innerText,"
                + " state: r.cells[9].innerText, exhaustion: r.cells[10].innerText,"
                + " seconds: r.cells[10].dataset.seconds}));");
  }

  private static List<String> rows(String table) {
    return chromium.rows("#" + table);
  }

  /** The points a chart plots (its first series) as {@code [t, value]}, nulls left out. */
  @SuppressWarnings("unchecked")
  private static List<List<Number>> plotted(String id) {
    return (List<List<Number>>)
        browser.executeScript(
            "const d = document.getElementById(arguments[0]).plot.data;"
                + " return d[0].map((t, i) => [t, d[1][i]]).filter(p => p[1] != null);",
            id);
  }

  /** The values a chart's legend shows, its time column left out. */
  @SuppressWarnings("unchecked")
  private static List<String> legend(String id) {
    return (List<String>)
        browser.executeScript(
            "return Array.from(document.querySelectorAll('#' + arguments[0]"
                + " + ' .u-legend .u-series:not(:first-child) .u-value')).map(v => v.textContent);",
            id);
  }

  private static int pointsOf(String id) {
    String p = browser.findElement(By.id(id)).getAttribute("data-points");
    return p == null ? 0 : Integer.parseInt(p);
  }
}
