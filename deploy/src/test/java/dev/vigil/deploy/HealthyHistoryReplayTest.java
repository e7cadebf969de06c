package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty-odd minutes of real healthy traffic, recorded once from a local stack (the {@code
 * healthy-traffic} drill on {@code ./vigil up}: browsing, the storefront and its real-user beacons,
 * orders; no fault), replayed with {@code promtool test rules} through every rule file as it is
 * now: no alert but Watchdog may fire at any minute of it. The recording holds every scraped series
 * whose metric name a rule reads, every 15 s from the stack's first scrape
 * (deploy/prometheus/history/healthy-traffic.yml.gz, made by record.py beside it; its header says
 * when and how). A rule made more eager than this traffic warrants fails here, with promtool naming
 * the alert and the minute; the live run of the same drill is the end-to-end proof
 * (docs/drills.md).
 *
 * <p>Host alerts ({@code family: host}: HighCpuUsage, HighMemoryUsage, DiskAlmostFull) and
 * node_exporter's series are left out: the recording's host was a build machine shared with other
 * builds, whose CPU rightly stayed above 80% for minutes; replayed, they would test that machine,
 * not the rules on healthy traffic. Every alert of the services and of the stack is replayed.
 */
class HealthyHistoryReplayTest {

  private static final Path RECORDING =
      SourceTree.deploy().resolve("prometheus/history/healthy-traffic.yml.gz");

  /** The recording's sample step, which promtool's {@code interval} must equal. */
  private static final String STEP = "15s";

  /** Always firing by design: the dead man's switch. */
  private static final String WATCHDOG = "Watchdog";

  /** The family label of the host's alerts, whose node_exporter series are not replayed. */
  private static final String HOST_FAMILY = "host";

  private static String inputSeries;
  private static int minutes;

  @BeforeAll
  static void readRecording() throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(RECORDING))) {
      inputSeries = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher samples = Pattern.compile("(?m)^# samples per series: (\\d+)$").matcher(inputSeries);
    assertThat(samples.find()).as("%s names its samples per series", RECORDING).isTrue();
    // samples every 15 s: the last whole minute the recording covers
    minutes = (Integer.parseInt(samples.group(1)) - 1) / 4;
  }

  @Test
  void noAlertButWatchdogFiresAtAnyMinuteOfRecordedHealthyTraffic(@TempDir Path dir)
      throws IOException {
    TreeSet<String> alerts = new TreeSet<>();
    AlertCoverageTest.alerts().stream()
        .filter(a -> !a.rule().path("labels").path("family").asText().equals(HOST_FAMILY))
        .forEach(a -> alerts.add(a.name()));
    alerts.remove(WATCHDOG);
    assertThat(alerts).as("the alerts replayed").contains("TrafficSpike", "SloBurnRatePage");
    assertThat(minutes).as("minutes of recorded traffic").isGreaterThanOrEqualTo(30);
    PrometheusTool.Result result = replay(dir, alerts, List.of());
    assertThat(result.succeeded())
        .as(
            "every alert but Watchdog quiet over %d minutes of recorded healthy traffic; promtool"
                + " said:%n%s",
            minutes, result.output())
        .isTrue();
  }

  @Test
  void theReplayCanFailAnAlertTooEagerForThisTrafficFires(@TempDir Path dir) throws IOException {
    // the recording carries the traffic: an alert on any request rate over 1 req/s (what the old
    // TrafficSpike baseline amounted to) fires on it, and the replay says so
    Path eager = dir.resolve("eager.yml");
    Files.writeString(
        eager,
        """
        groups:
          - name: replay-canary
            rules:
              - alert: TooEagerTraffic
                expr: sum(rate(http_requests_total{service="catalog"}[5m])) > 1
                for: 5m
        """);
    PrometheusTool.Result result =
        replay(dir, new TreeSet<>(List.of("TooEagerTraffic")), List.of(eager));
    assertThat(result.succeeded()).as("promtool said:%n%s", result.output()).isFalse();
    assertThat(result.output()).contains("TooEagerTraffic");
  }

  /**
   * Writes a promtool unit test over the recording that expects none of {@code quiet} firing at
   * each whole minute, with every rule file of the repository plus {@code extraRules}, and runs it.
   */
  private static PrometheusTool.Result replay(
      Path dir, TreeSet<String> quiet, List<Path> extraRules) throws IOException {
    StringBuilder test = new StringBuilder("rule_files:\n");
    for (Path rules : SourceTree.ruleFiles()) {
      test.append("  - '").append(rules.toAbsolutePath()).append("'\n");
    }
    for (Path rules : extraRules) {
      test.append("  - '").append(rules.toAbsolutePath()).append("'\n");
    }
    test.append("evaluation_interval: ").append(STEP).append('\n');
    test.append("tests:\n  - interval: ").append(STEP).append("\n    input_series:\n");
    // entries of two lines, "- series: '...'" and "  values: '...'"; node_exporter's left out
    List<String> lines = inputSeries.lines().filter(l -> !l.startsWith("#")).toList();
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      if (!lines.get(i).contains("job=\"node\"")) {
        test.append("      ").append(lines.get(i)).append('\n');
        test.append("      ").append(lines.get(i + 1)).append('\n');
      }
    }
    test.append("    alert_rule_test:\n");
    for (int minute = 1; minute <= minutes; minute++) {
      for (String alert : quiet) {
        test.append("      - eval_time: ").append(minute).append("m\n");
        test.append("        alertname: ").append(alert).append('\n');
        test.append("        exp_alerts: []\n");
      }
    }
    Path file = dir.resolve("healthy-history-test.yml");
    Files.writeString(file, test);
    return PrometheusTool.PROMTOOL.run(dir, "test", "rules", file.getFileName().toString());
  }
}
