package dev.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's {@code chromium}, headless, driven through its {@code chromedriver} (packages {@code
 * chromium} and {@code chromium-driver}, which {@code ./vigil test} installs), with what the
 * console's browser tests read from a page: table rows, screenshots, render timings and the browser
 * console's errors. Fails, never skips, when the browser is missing.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Starts a browser with a 1280 x 1200 window; screenshots go to {@code target/screenshots/}. */
  static HeadlessChromium start() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail(
          "the browser test needs "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + ": install them with "
              + "'sudo apt-get install chromium chromium-driver' (./vigil test installs them)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1200");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    Files.createDirectories(SCREENSHOTS);
    return new HeadlessChromium(new ChromeDriver(service, options));
  }

  @Override
  public void close() {
    driver.quit();
  }

  /**
   * The text of each row of a table, its cells joined by one space, read in one script call: the
   * pages rebuild their tables on every refresh, so element references held across calls go stale.
   *
   * @param selector a CSS selector of the table, e.g. {@code #slos} or {@code
   *     section[data-service=catalog] table}
   */
  @SuppressWarnings("unchecked")
  List<String> rows(String selector) {
    return (List<String>)
        driver.executeScript(
            "return Array.from(document.querySelectorAll(arguments[0])).map(r =>"
                + " Array.from(r.cells).map(c => c.innerText.trim().replace(/\\s+/g, ' ')).join(' '));",
            selector + " tbody tr");
  }

  /** Saves a screenshot of the window as {@code target/screenshots/<name>}. */
  void screenshot(String name) throws Exception {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The page's render times, in milliseconds since navigation start: {@code navigation} (the load
   * event's end, Navigation Timing) and {@code drawn} (the page's {@code vigil-drawn} mark, set
   * when its data is drawn; -1 when the page has not set it yet).
   */
  @SuppressWarnings("unchecked")
  Map<String, Long> timing() {
    return (Map<String, Long>)
        driver.executeScript(
            "const n = performance.getEntriesByType('navigation')[0];"
                + " const d = performance.getEntriesByName('vigil-drawn')[0];"
                + " return {navigation: n ? Math.round(n.duration) : -1,"
                + " drawn: d ? Math.round(d.startTime) : -1};");
  }

  /** Prints the page's render times ({@link #timing()}): reported, not asserted. */
  Map<String, Long> reportTiming(String page) {
    Map<String, Long> t = timing();
    System.out.println(
        "console "
            + page
            + " page navigation: "
            + t.get("navigation")
            + " ms, data drawn at "
            + (t.get("drawn") < 0 ? "n/a" : t.get("drawn") + " ms"));
    return t;
  }

  /**
   * The page's slowest requests (Resource Timing): name without origin, duration and bytes
   * transferred, slowest first.
   *
   * @param n how many
   * @return e.g. {@code /api/overview 212 ms 3.1 kB}, one per line
   */
  String slowestRequests(int n) {
    return (String)
        driver.executeScript(
            "return performance.getEntriesByType('resource')"
                + ".sort((a, b) => b.duration - a.duration).slice(0, arguments[0])"
                + ".map(e => e.name.replace(location.origin, '') + ' ' + Math.round(e.duration) + ' ms '"
                + " + (e.transferSize / 1024).toFixed(1) + ' kB').join('\\n');",
            n);
  }

  /** Fails with the browser console's errors (SEVERE entries) since the last call. */
  void assertNoConsoleErrors() {
    List<String> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    assertThat(errors).as("errors in the browser console").isEmpty();
  }
}
