package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's pages in a real browser: Debian's {@code chromium} driven through its {@code
 * chromedriver} (packages {@code chromium} and {@code chromium-driver}, which {@code ./vigil test}
 * installs), against {@link LiveConsole}'s known traffic. Fails, never skips, when the browser is
 * missing. Screenshots go to {@code console/target/screenshots/}; the pages' navigation timings are
 * printed, not asserted.
 */
class ConsoleBrowserTest {

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
  void homeShowsSlosByRemainingBudgetAlertsServicesAndNotifications() throws Exception {
    browser.get(live.console + "/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(
        d ->
            rows("slos").size() == 4
                && text(rows("alerts")).contains("ConsoleTestFiring")
                && text(rows("services")).contains("up"));
    List<String> slos = rows("slos");
    assertThat(slos.get(0))
        .as("the exhausted budget first")
        .contains("availability")
        .contains("99.9%")
        .contains("exhausted");
    assertThat(slos.get(1))
        .contains("latency")
        .contains("99.0000%")
        .contains("80.0%")
        .contains("healthy");
    assertThat(slos.get(2)).contains("uptime");
    assertThat(slos.get(0))
        .as("how much of the period the figures rest on, as the CLI says it")
        .containsPattern("\\b(1h 5\\d|2h( \\d+m)?) of 30d$");
    assertThat(text(rows("alerts")))
        .contains("ConsoleTestFiring firing")
        .contains("ConsoleTestPending pending");
    assertThat(text(rows("services")))
        .contains("prometheus " + live.prometheus.getAuthority() + " up");
    List<String> notifications = rows("notifications");
    assertThat(notifications).hasSize(2);
    assertThat(notifications.get(0)).contains("resolved").contains("HighErrorRate");
    screenshot("home.png");
    reportTiming("home");
    assertNoConsoleErrors();
  }

  @Test
  void sloPageShowsBudgetInPercentAndMinutesAndChartsTheRecordedErrorRatio() throws Exception {
    browser.get(live.console + "/");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> rows("slos").size() == 4);
    browser.findElement(By.linkText("latency")).click();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> browser.findElement(By.id("remaining")).getText().endsWith("%"));
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("catalog / latency (30d)");
    assertThat(browser.findElement(By.id("sli")).getText()).isEqualTo("99.0000%");
    assertThat(browser.findElement(By.id("objective")).getText()).isEqualTo("95%");
    assertThat(browser.findElement(By.id("remaining")).getText()).isEqualTo("80.0%");
    assertThat(browser.findElement(By.id("remaining-minutes")).getText())
        .isEqualTo("1728.0 of 2160");
    assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("healthy");
    assertThat(text(rows("burn-rates"))).contains("1h 0.200");
    // the recording rules run from Prometheus' start: reload until the chart has a few points
    wait.until(
        d -> {
          String points = browser.findElement(By.id("chart")).getAttribute("data-points");
          if (points != null && Integer.parseInt(points) >= 3) {
            return true;
          }
          browser.navigate().refresh();
          return false;
        });
    assertThat(browser.findElements(By.cssSelector("#chart canvas")))
        .as("uPlot drew its canvas")
        .isNotEmpty();
    assertThat(browser.findElement(By.id("query")).getText())
        .isEqualTo("slo:sli_error:ratio_rate1h{service=\"catalog\",slo=\"latency\"}");
    Object drawn =
        ((JavascriptExecutor) browser)
            .executeScript("return plot.data[1].every(v => Math.abs(v - 0.01) < 1e-12)");
    assertThat(drawn).as("every charted value is 10 slow requests in 1000").isEqualTo(true);
    assertThat(legendValues("chart"))
        .as("without a cursor over the chart, the legend shows the series' latest value")
        .containsExactly("1.00%");
    assertThat(rows("window-pairs"))
        .as(
            "1% slow against a 5% budget burns at 0.2: each pair acceptable, except the 5m window,"
                + " empty because the imported traffic ended 5 minutes ago")
        .containsExactly(
            "page-1h SloBurnRatePage 1h 0.200 5m no traffic 14.40 0s no data inactive 120d",
            "page-6h SloBurnRatePage 6h 0.200 30m 0.200 6.00 0s acceptable inactive 120d",
            "ticket-1d SloBurnRateTicket 1d 0.200 2h 0.200 3.00 0s acceptable inactive 120d",
            "ticket-3d SloBurnRateTicket 3d 0.200 6h 0.200 1.00 0s acceptable inactive 120d");
    assertThat(text(rows("slo-alerts"))).contains("SloBurnRatePage").contains("SloSliAbsent");
    String coverageText = browser.findElement(By.id("coverage")).getText();
    assertThat(coverageText).matches("(1h 5\\dm|2h( \\d+m)?) of 30d \\(0\\.\\d%\\)");
    double coverage = Double.parseDouble(coverageText.replaceAll(".*\\((.*)%\\)", "$1"));
    assertThat(coverage).as("2 h of data in a 30 d period").isBetween(0.1, 1.0);
    wait.until(
        d ->
            ((JavascriptExecutor) browser)
                .executeScript(
                    "const c = document.getElementById('burndown'); return c.plot != null && c.plot.data[1].some(v => v != null);")
                .equals(true));
    Object lastBurndown =
        ((JavascriptExecutor) browser)
            .executeScript(
                "const d = document.getElementById('burndown').plot.data[1]; return d[d.length - 1];");
    assertThat(((Number) lastBurndown).doubleValue())
        .as("the burn-down ends where the budget stands: 1 - 1% / 5%")
        .isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-9));
    // the figure shown is the recorded series' value (what the alerts and Grafana read)
    double recorded =
        new dev.vigil.prometheus.PrometheusClient(live.prometheus)
            .value(
                "slo:error_budget_remaining:ratio{service=\"catalog\",slo=\"latency\"}",
                java.time.Instant.now())
            .orElseThrow();
    assertThat(browser.findElement(By.id("remaining")).getText())
        .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", recorded * 100));
    screenshot("slo-latency.png");
    reportTiming("slo");
    assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyDashboardPanelDrawsAPointAndAnSloWithoutDataShowsNoDataNeverHealthy() throws Exception {
    browser.get(live.console + "/dashboards.html");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> rows("dashboards").size() == 4);
    List<String> uids =
        (List<String>)
            browser.executeScript(
                "return Array.from(document.querySelectorAll('#dashboards tbody tr td:nth-child(2)'))"
                    + ".map(td => td.innerText.trim());");
    screenshot("dashboards.png");
    StringBuilder checked = new StringBuilder();
    for (String uid : uids) {
      browser.get(live.console + "/dashboard.html?uid=" + uid);
      new WebDriverWait(browser, Duration.ofSeconds(60))
          .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
      List<Map<String, Object>> panels =
          (List<Map<String, Object>>)
              browser.executeScript(
                  "let row = ''; const out = [];"
                      + "for (const el of document.getElementById('panels').children) {"
                      + "  if (el.classList.contains('row-title')) { row = el.textContent; continue; }"
                      + "  const body = el.querySelector('.panel-body');"
                      + "  out.push({row: row, title: el.querySelector('h3').innerText,"
                      + "    points: Number(body.dataset.points || 0), text: body.innerText,"
                      // the legend entries of the series with at least one value
                      + "    legend: body.plot ? Array.from(el.querySelectorAll('.u-legend .u-series'))"
                      + "      .slice(1).filter((r, i) => body.plot.data[i + 1].some(v => v != null))"
                      + "      .map(r => r.querySelector('.u-value').textContent) : [],"
                      + "    canvas: el.querySelectorAll('canvas').length}); }"
                      + "return out;");
      assertThat(panels).as("%s has panels", uid).isNotEmpty();
      for (Map<String, Object> p : panels) {
        String where = uid + " / " + p.get("row") + " / " + p.get("title");
        checked.append(where).append(": ").append(p.get("points")).append(" points\n");
        // uptime (probe-based) and storefront-lcp (real users' beacons) have no data here
        boolean uptime =
            String.valueOf(p.get("row")).startsWith("uptime")
                || String.valueOf(p.get("row")).startsWith("storefront-lcp");
        if (uptime
            && (String.valueOf(p.get("title")).startsWith("SLI")
                || p.get("title").equals("Error budget remaining"))) {
          assertThat(String.valueOf(p.get("text")))
              .as("%s: an SLO without data says so, never 100%%", where)
              .contains("no data")
              .doesNotContain("100");
        } else if (!uptime && !p.get("title").equals("Alerts firing now")) {
          assertThat(((Number) p.get("points")).intValue())
              .as("%s draws at least one point (%s)", where, p.get("text"))
              .isPositive();
          assertThat((List<String>) p.get("legend"))
              .as("%s: with no cursor over it, each legend entry shows a latest value", where)
              .noneMatch(v -> v.equals("no data") || v.isEmpty());
        }
      }
      screenshot("dashboard-" + uid.replace("vigil-catalog-", "") + ".png");
      reportTiming("dashboard " + uid);
    }
    System.out.print("panels checked in the browser:\n" + checked);
    // 7 days over 2 hours of history: each chart starts at its data and says how much it covers
    browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals&range=7d");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    List<Map<String, Object>> fitted =
        (List<Map<String, Object>>)
            browser.executeScript(
                "return [...document.querySelectorAll('.panel-body')].filter(b => b.plot).map(b =>"
                    + " ({covered: (b.querySelector('.covered') || {}).textContent || '',"
                    + "   from: Number((b.querySelector('.covered') || {dataset: {}}).dataset.coveredFrom"
                    + "     || 0),"
                    + "   step: b.plot.data[0][1] - b.plot.data[0][0],"
                    + "   startsAtData: b.plot.scales.x.min === b.plot.data[0][0]}));");
    // a 7-day range's first point comes up to one step (about 40 min at 250 points) after the
    // first sample, so where the data starts is known to within a step, not to the minute
    long historyStart =
        live.historyEnd.minus(LiveConsole.MINUTES, ChronoUnit.MINUTES).getEpochSecond();
    assertThat(fitted)
        .as(
            "a 7-day chart over 2 hours of data (from %s) starts at the data and says how much it"
                + " covers",
            Instant.ofEpochSecond(historyStart))
        .isNotEmpty()
        .anyMatch(
            p -> {
              double from = ((Number) p.get("from")).doubleValue();
              double step = ((Number) p.get("step")).doubleValue();
              return String.valueOf(p.get("covered"))
                      .matches("data since .* UTC: \\d+h( \\d+m)? of the 7d range")
                  && from >= historyStart
                  && from <= historyStart + step + 300
                  && Boolean.TRUE.equals(p.get("startsAtData"));
            });
    assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void alertsPageRendersEachAlertsRunbookAndGraphsItsExpression() throws Exception {
    browser.get(live.console + "/alerts.html#ConsoleTestFiring");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(d -> text(rows("alerts")).contains("ConsoleTestFiring firing"));
    assertThat(rows("alerts").get(0)).as("firing first").startsWith("ConsoleTestFiring firing");
    List<String> rows = rows("alerts");
    assertThat(rows).as("one row per rule, none identical").doesNotHaveDuplicates();
    // the catalog's generated rules: a page alert per SLO and window pair (1h/5m and 6h/30m)
    assertThat(rows)
        .contains(
            "SloBurnRatePage inactive critical catalog availability 1h / 5m 0s vigil-catalog-slo",
            "SloBurnRatePage inactive critical catalog availability 6h / 30m 0s vigil-catalog-slo",
            "SloBurnRatePage inactive critical catalog latency 1h / 5m 0s vigil-catalog-slo",
            "SloBurnRatePage inactive critical catalog latency 6h / 30m 0s vigil-catalog-slo");
    assertThat(
            (List<String>)
                browser.executeScript(
                    "return Array.from(document.querySelectorAll('#alerts a.slo-link'))"
                        + ".filter(a => a.textContent === 'latency').map(a => a.getAttribute('href'));"))
        .as("each latency alert links to the latency SLO's page")
        .isNotEmpty()
        .allSatisfy(href -> assertThat(href).isEqualTo("/slo.html?service=catalog&slo=latency"));
    wait.until(d -> pointsOf("graph") > 0);
    assertThat(pointsOf("graph")).as("vector(1) over 6 h draws points").isPositive();
    assertThat(browser.findElement(By.id("detail-summary")).getText())
        .as("the firing alert's template rendered with its value (1) and labels")
        .isEqualTo("at 100% on catalog");
    assertThat(browser.findElement(By.id("runbook")).getText()).contains("no runbook");
    browser.get(live.console + "/alerts.html#SloBurnRatePage");
    wait.withMessage(
            () ->
                "runbook: "
                    + browser.findElement(By.id("runbook")).getText()
                    + " error: "
                    + browser.findElement(By.id("error")).getText())
        .until(
            d ->
                browser
                    .findElement(By.id("runbook"))
                    .getAttribute("textContent")
                    .contains("Mitigation"));
    assertThat(browser.findElements(By.cssSelector("#runbook table")))
        .as("GFM tables")
        .isNotEmpty();
    assertThat(
            browser.findElements(By.cssSelector("#runbook h2")).stream()
                .map(e -> e.getAttribute("textContent")))
        .contains("Meaning", "Impact", "Diagnosis", "Mitigation", "Escalation");
    assertThat(browser.findElement(By.id("detail-dashboard")).getAttribute("href"))
        .endsWith("/dashboard.html?uid=vigil-catalog-slo");
    // an inactive SLO alert: the variables named, its conditions' left-hand sides charted
    browser.get(
        live.console
            + "/alerts.html#SloBurnRatePage%7Bservice%3Dcatalog%2Cslo%3Dlatency%2Clong_window%3D1h"
            + "%2Cshort_window%3D5m%7D");
    wait.until(d -> pointsOf("graph") > 0);
    assertThat(browser.findElement(By.id("detail-name")).getAttribute("textContent"))
        .isEqualTo("SloBurnRatePage latency 1h / 5m (inactive)");
    String description = browser.findElement(By.id("detail-description")).getText();
    assertThat(description)
        .as("no raw template, the value named")
        .doesNotContain("{{")
        .contains("burned at <value>x the sustainable rate");
    assertThat(browser.findElement(By.id("condition-0")).getAttribute("data-threshold"))
        .isEqualTo("14.4");
    Object burn =
        browser.executeScript(
            "const d = document.getElementById('condition-0').plot.data[1].filter(v => v != null);"
                + " return d.length > 0 && d.every(v => Math.abs(v - 0.2) < 1e-9);");
    assertThat(burn)
        .as(
            "the 1h burn rate, 1% slow against a 5% budget, is charted although the alert is"
                + " inactive")
        .isEqualTo(true);
    screenshot("alerts.png");
    assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSecondVisitFetchesOnlyThePageItsScriptsAndStylesComeFromTheCache() throws Exception {
    String page = live.console + "/dashboard.html?uid=vigil-catalog-golden-signals";
    browser.get(page);
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    browser.get(live.console + "/");
    browser.get(page);
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    List<Map<String, Object>> assets =
        (List<Map<String, Object>>)
            browser.executeScript(
                "return performance.getEntriesByType('resource')"
                    + ".filter(e => /\\.(js|css)(\\?|$)/.test(e.name))"
                    + ".map(e => ({name: e.name, transferred: e.transferSize}));");
    assertThat(assets)
        .as("uPlot, the console's scripts and styles, and its config")
        .hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(
            a ->
                assertThat(((Number) a.get("transferred")).longValue())
                    .as("%s came over the network on the second visit", a.get("name"))
                    .isZero());
    assertNoConsoleErrors();
  }

  @Test
  void errorsPageWithoutAnAdminTokenSaysWhyForEachServiceInsteadOfFailing() throws Exception {
    browser.get(live.console + "/errors.html");
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(d -> !browser.findElements(By.cssSelector("section.service-errors")).isEmpty());
    List<WebElement> sections = browser.findElements(By.cssSelector("section.service-errors"));
    assertThat(sections)
        .extracting(e -> e.getAttribute("data-service"))
        .containsExactly("catalog", "payments");
    for (WebElement section : sections) {
      assertThat(section.getAttribute("data-state")).isEqualTo("no token");
      assertThat(section.findElement(By.cssSelector(".detail")).getText())
          .contains("no admin token in " + live.work.resolve("admin-token"))
          .contains("./vigil up");
    }
    assertThat(browser.findElement(By.id("error")).isDisplayed()).as("no error box").isFalse();
    screenshot("errors-no-token.png");
    assertNoConsoleErrors();
  }

  @Test
  void profilesPageWithoutSavedProfilesSaysHowToRecordOne() throws Exception {
    browser.get(live.console + "/profiles.html");
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !rows("profiles").isEmpty());
    assertThat(rows("profiles"))
        .singleElement()
        .asString()
        .contains("no saved profile in " + live.work.resolve("profiles"))
        .contains("./vigil profile --service catalog --seconds 30");
    assertThat(browser.findElement(By.id("summary")).isDisplayed()).isFalse();
    assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aReloadKeepsTheRangeAndTheVariablesAndADragZoomsToAnAbsoluteRange() throws Exception {
    browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    wait.until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    wait.until(
        d ->
            browser.findElements(By.cssSelector("#var-instance option")).stream()
                .anyMatch(o -> o.getAttribute("value").equals(LiveConsole.IDLE_INSTANCE)));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("range")))
        .selectByVisibleText("6h");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("var-instance")))
        .selectByValue(LiveConsole.IDLE_INSTANCE);
    assertThat(browser.getCurrentUrl())
        .contains("range=6h")
        .contains("var-instance=" + LiveConsole.IDLE_INSTANCE.replace(":", "%3A"));
    browser.navigate().refresh();
    wait.until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    assertThat(browser.findElement(By.id("range")).getAttribute("value")).isEqualTo("6h");
    assertThat(browser.findElement(By.id("var-instance")).getAttribute("value"))
        .isEqualTo(LiveConsole.IDLE_INSTANCE);
    assertThat(browser.findElement(By.id("var-service")).getAttribute("value"))
        .isEqualTo("catalog");
    // drag across the middle of the first chart: an absolute range, in the URL, kept by a reload
    WebElement over = browser.findElement(By.cssSelector(".panel-timeseries .u-over"));
    int width = over.getSize().getWidth();
    double chartSpan =
        ((Number)
                browser.executeScript(
                    "const u = document.querySelector('.panel-timeseries .panel-body').plot;"
                        + " return u.scales.x.max - u.scales.x.min;"))
            .doubleValue();
    new org.openqa.selenium.interactions.Actions(browser)
        .moveToElement(over, -width / 4, 0)
        .clickAndHold()
        .moveByOffset(width / 2, 0)
        .release()
        .perform();
    wait.until(d -> browser.getCurrentUrl().contains("from="));
    Map<String, Object> zoomed =
        (Map<String, Object>)
            browser.executeScript(
                "const q = new URLSearchParams(location.search);"
                    + " return {from: Number(q.get('from')), to: Number(q.get('to')),"
                    + " now: Date.now() / 1000};");
    double from = ((Number) zoomed.get("from")).doubleValue();
    double to = ((Number) zoomed.get("to")).doubleValue();
    double now = ((Number) zoomed.get("now")).doubleValue();
    // the 6 h range holds 2 h of history: the chart spans those (the covered part), and the drag
    // across half its width selects half of that span
    assertThat(to - from)
        .as("half of the chart's span, %s s", chartSpan)
        .isBetween(chartSpan * 0.4, chartSpan * 0.6);
    assertThat(now - to).as("the drag ended before now").isPositive();
    browser.navigate().refresh();
    wait.until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    assertThat(browser.findElement(By.id("absolute")).isDisplayed()).isTrue();
    Object scale =
        browser.executeScript(
            "const p = document.querySelector('.panel-timeseries .panel-body').plot;"
                + " return [p.scales.x.min, p.scales.x.max];");
    List<Number> span = (List<Number>) scale;
    assertThat(span.get(1).doubleValue())
        .as("the reloaded chart ends where the drag did")
        .isEqualTo(to);
    // the start is a whole number of steps (range / points, points = the chart's width / 2) back
    assertThat(span.get(0).doubleValue())
        .as("the reloaded chart starts where the drag did")
        .isBetween(from - (to - from) / 100, from);
    assertThat(browser.findElement(By.id("var-instance")).getAttribute("value"))
        .isEqualTo(LiveConsole.IDLE_INSTANCE);
    screenshot("dashboard-zoomed.png");
    assertNoConsoleErrors();
  }

  @Test
  @SuppressWarnings("unchecked")
  void chartsCarryTheFaultsAndDrillsOfTheirRangeAsAnnotations() throws Exception {
    // the API: the fault's run of 1s and the drill report's times, as the fixture wrote them
    java.net.http.HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        live.console.resolve("/api/annotations?range=3h"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    List<Map<String, Object>> annotations =
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), List.class);
    long historyStart = live.historyEnd.getEpochSecond() - LiveConsole.MINUTES * 60L;
    Map<String, Object> fault =
        annotations.stream().filter(a -> a.get("kind").equals("fault")).findFirst().orElseThrow();
    assertThat(fault.get("name")).isEqualTo("db-latency (catalog)");
    // Prometheus evaluates every 15 s from the range's start: the band starts and ends within
    // one step after the samples that turned it on and off
    assertThat(((Number) fault.get("start")).doubleValue())
        .isBetween(
            historyStart + LiveConsole.FAULT_START_MINUTE * 60.0,
            historyStart + LiveConsole.FAULT_START_MINUTE * 60.0 + 15);
    assertThat(((Number) fault.get("end")).doubleValue())
        .isBetween(
            historyStart + LiveConsole.FAULT_END_MINUTE * 60.0,
            historyStart + LiveConsole.FAULT_END_MINUTE * 60.0 + 15);
    Map<String, Object> drill =
        annotations.stream().filter(a -> a.get("kind").equals("drill")).findFirst().orElseThrow();
    assertThat(drill.get("name")).isEqualTo("server-error-burst");
    assertThat(((Number) drill.get("start")).doubleValue())
        .isEqualTo(
            live.historyEnd.getEpochSecond() - LiveConsole.DRILL_FAULT_MINUTES_BEFORE * 60.0);
    assertThat(((Number) drill.get("end")).doubleValue())
        .isEqualTo(
            live.historyEnd.getEpochSecond() - LiveConsole.DRILL_CLEARED_MINUTES_BEFORE * 60.0);
    assertThat(annotations).as("the unreadable report is skipped").hasSize(2);
    // the charts: every time series of the golden signals over 6 h carries both
    browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals&range=6h");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    List<String> charted =
        (List<String>)
            browser.executeScript(
                "return Array.from(document.querySelectorAll('.panel-timeseries .panel-body'))"
                    + ".filter(b => b.plot).map(b => b.dataset.annotations);");
    assertThat(charted)
        .isNotEmpty()
        .allSatisfy(
            a -> assertThat(a).isEqualTo("fault: db-latency (catalog)\ndrill: server-error-burst"));
    assertThat(browser.findElement(By.cssSelector(".panel-timeseries .annotation-fault")).getText())
        .startsWith("fault db-latency (catalog): ")
        .endsWith(" UTC");
    screenshot("dashboard-annotations.png");
    assertNoConsoleErrors();
  }

  /** The values a chart's legend shows, its time column left out. */
  @SuppressWarnings("unchecked")
  private static List<String> legendValues(String id) {
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

  @Test
  void aDashboardsChartsShareOneCursorAsGrafanasSharedCrosshair() {
    browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals");
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(d -> browser.findElement(By.id("panels")).getAttribute("data-refreshed") != null);
    List<WebElement> overs = browser.findElements(By.cssSelector(".panel-body .u-over"));
    assertThat(overs).hasSizeGreaterThan(2);
    String timeOfLast =
        "const bodies = [...document.querySelectorAll('.panel-body')].filter(b => b.plot);"
            + "return bodies.at(-1).querySelector('.u-legend .u-series .u-value').textContent;";
    assertThat(((JavascriptExecutor) browser).executeScript(timeOfLast)).isEqualTo("latest");

    new org.openqa.selenium.interactions.Actions(browser).moveToElement(overs.get(0)).perform();

    assertThat(String.valueOf(((JavascriptExecutor) browser).executeScript(timeOfLast)))
        .as(
            "the last chart's legend follows the pointer over the first chart: a time, not 'latest'")
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*");
    assertNoConsoleErrors();
  }

  @Test
  void aSlowRequestsExemplarLeadsToItsTraceAndItsLogLines() throws Exception {
    browser.get(live.console + "/dashboard.html?uid=vigil-catalog-golden-signals");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    // Prometheus scrapes the exemplar every second: refresh until the latency panel shows it
    wait.until(
        d -> {
          if (!browser.findElements(By.cssSelector(".exemplar-trace")).isEmpty()) {
            return true;
          }
          browser.findElement(By.id("refresh")).click();
          return false;
        });
    // the exemplar's dot itself opens the trace (the links listed below are the slowest 8 only);
    // a click beside it opens nothing
    assertThat(clickBesideExemplar(0))
        .isEqualTo("http://127.0.0.1:9411/zipkin/traces/" + LiveConsole.TRACE_ID);
    assertThat(clickBesideExemplar(30)).isNull();
    WebElement trace = browser.findElement(By.cssSelector(".exemplar-trace"));
    assertThat(trace.getText()).contains("321.0 ms").contains(LiveConsole.TRACE_ID.substring(0, 8));
    assertThat(trace.getAttribute("href"))
        .as("the trace in the local Zipkin UI")
        .isEqualTo("http://127.0.0.1:9411/zipkin/traces/" + LiveConsole.TRACE_ID);
    browser.findElement(By.cssSelector(".exemplar-logs")).click();
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !rows("lines").isEmpty());
    List<String> lines = rows("lines");
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("catalog.log").contains("GET /api/products 200");
    assertThat(browser.findElement(By.id("zipkin")).getAttribute("href"))
        .isEqualTo("http://127.0.0.1:9411/zipkin/traces/" + LiveConsole.TRACE_ID);
    screenshot("logs.png");
    assertNoConsoleErrors();
  }

  /**
   * Clicks, with the real pointer, {@code dx} pixels right of the exemplar dot of {@link
   * LiveConsole#TRACE_ID}, and answers the URL the page opened, or null.
   */
  @SuppressWarnings("unchecked")
  private static Object clickBesideExemplar(int dx) {
    Map<String, Object> dot =
        (Map<String, Object>)
            browser.executeScript(
                "const body = [...document.querySelectorAll('.panel-body')]"
                    + "  .find(b => b.exemplars && b.exemplars.some(x => x.trace_id === arguments[0]));"
                    + "body.dataset.clickTarget = 'yes';"
                    + "window.__opened = null; window.open = url => { window.__opened = url; };"
                    + "const u = body.plot, e = body.exemplars.find(x => x.trace_id === arguments[0]);"
                    + "return {x: u.valToPos(e.t, 'x') - u.over.clientWidth / 2,"
                    + "  y: u.valToPos(e.v, 'y') - u.over.clientHeight / 2};",
                LiveConsole.TRACE_ID);
    WebElement over =
        browser.findElement(By.cssSelector(".panel-body[data-click-target='yes'] .u-over"));
    new org.openqa.selenium.interactions.Actions(browser)
        .moveToElement(
            over,
            (int) Math.round(((Number) dot.get("x")).doubleValue()) + dx,
            (int) Math.round(((Number) dot.get("y")).doubleValue()))
        .click()
        .perform();
    return browser.executeScript("return window.__opened;");
  }

  private static List<String> rows(String table) {
    return chromium.rows("#" + table);
  }

  private static String text(List<String> rows) {
    return String.join("\n", rows);
  }

  private static void screenshot(String name) throws Exception {
    chromium.screenshot(name);
  }

  private static void reportTiming(String page) {
    chromium.reportTiming(page);
  }

  private static void assertNoConsoleErrors() {
    chromium.assertNoConsoleErrors();
  }
}
