package dev.vigil.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillFileException;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.drills.drill.RuleBook;
import dev.vigil.stack.StackProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drill files of drills/ are read strictly and their expected alerts exist in deploy/'s rules;
 * predicted times follow the rules' math, recomputed here by hand from the rule files' numbers.
 */
class DrillFilesTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final DrillFiles FILES = new DrillFiles(ROOT.resolve("drills"));
  private static final RuleBook RULES = RuleBook.read(ROOT.resolve("deploy"));

  @Test
  void everyDrillOfTheIssueHasAFileThatReadsAndNamesOnlyAlertsTheRulesDefine() {
    assertThat(FILES.names())
        .containsExactlyInAnyOrder(
            "client-error-flood",
            "server-error-burst",
            "latency-spike",
            "pool-exhaustion",
            "payment-outage",
            "service-down",
            "cache-failure",
            "queue-backlog",
            "watchdog",
            "healthy-traffic");
    for (String name : FILES.names()) {
      Drill drill = FILES.read(name);
      for (Drill.ExpectedAlert e : drill.expect()) {
        assertThat(RULES.rulesOf(e.match())).as("%s expects %s", name, e.match()).isNotEmpty();
      }
      for (Drill.AlertMatch m : drill.mustNotFire()) {
        assertThat(RULES.rulesOf(m)).as("%s must not fire %s", name, m).isNotEmpty();
      }
    }
  }

  /**
   * The healthy-traffic soak watches every alert but Watchdog: its list is held to the rule files
   * (hand-written and generated), read here independently of {@link RuleBook}, so that a new alert
   * cannot be left out of the proof that healthy traffic stays quiet.
   */
  @Test
  void theHealthyTrafficSoakWatchesEveryAlertOfTheRulesButWatchdog() throws IOException {
    Set<String> alerts = new TreeSet<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("deploy/prometheus/rules"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        Matcher m =
            Pattern.compile("(?m)^\\s*- alert: (\\w+)\\s*$").matcher(Files.readString(file));
        while (m.find()) {
          alerts.add(m.group(1));
        }
      }
    }
    alerts.remove("Watchdog");
    Drill soak = FILES.read("healthy-traffic");

    assertThat(alerts).hasSizeGreaterThan(20);
    assertThat(soak.mustNotFire())
        .extracting(Drill.AlertMatch::alert)
        .containsExactlyInAnyOrderElementsOf(alerts);
    assertThat(soak.fault()).isNull();
    assertThat(soak.load().duration().seconds()).isEqualTo(30 * 60);
    assertThat(soak.expect()).extracting(Drill.ExpectedAlert::alert).containsExactly("Watchdog");
    // healthy traffic sells nothing out: a product answers 409 once its stock (100 + id % 50 in the
    // starting catalogue) is gone, and the first soak sold out its products at the 0.1/s floor
    double total = soak.load().mix().stream().mapToDouble(Drill.MixEntry::weight).sum();
    Pattern product = Pattern.compile("\"product_id\":(\\d+)");
    for (Drill.MixEntry m : soak.load().mix()) {
      if (m.path().equals("/api/orders")) {
        Matcher id = product.matcher(m.body());
        assertThat(id.find()).isTrue();
        double perSecond = Math.max(0.01, soak.load().rate() * m.weight() / total);
        assertThat(perSecond * 30 * 60)
            .as("orders of product %s in 30 minutes", id.group(1))
            .isLessThan(100 + Integer.parseInt(id.group(1)) % 50);
      }
    }
    // and the load generator takes every entry's rate (the first run refused 0.017/s at start)
    com.sun.net.httpserver.HttpServer sink =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    sink.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    sink.start();
    try (dev.vigil.drills.drill.BaselineLoad load =
        new dev.vigil.drills.drill.BaselineLoad(
            java.net.URI.create("http://127.0.0.1:" + sink.getAddress().getPort() + "/"),
            soak.load())) {
      assertThat(load.sent()).isGreaterThanOrEqualTo(0);
    } finally {
      sink.stop(0);
    }
  }

  /**
   * A drill's signal ("first bad sample") needs two samples in its range: a range of one scrape
   * interval (15 s) is empty between scrapes at the real stack's interval, and the report never
   * names the first bad sample.
   */
  @Test
  void everySignalRangeHoldsAtLeastTwoScrapes() throws IOException {
    Matcher interval =
        Pattern.compile("scrape_interval: (\\d+)s")
            .matcher(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml")));
    assertThat(interval.find()).isTrue();
    long scrape = Long.parseLong(interval.group(1));
    for (String name : FILES.names()) {
      String signal = FILES.read(name).signal();
      if (signal == null) {
        continue; // a drill without a signal (watchdog)
      }
      Matcher range = Pattern.compile("\\[(\\d+)([sm])]").matcher(signal);
      while (range.find()) {
        long seconds = Long.parseLong(range.group(1)) * (range.group(2).equals("m") ? 60 : 1);
        assertThat(seconds)
            .as(
                "%s's signal range [%s%s] against the %d s scrape interval",
                name, range.group(1), range.group(2), scrape)
            .isGreaterThanOrEqualTo(2 * scrape);
      }
    }
  }

  @Test
  void aMisspelledKeyIsRefusedWithFileLineColumnAndTheKeyItMeant(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("typo.yaml");
    Files.writeString(
        file,
        """
        name: typo
        description: a drill
        expect:
          - alert: HighErrorRate
            severity: critical
            reciever: pager
        """);

    assertThatThrownBy(() -> DrillFiles.read(file))
        .isInstanceOf(DrillFileException.class)
        .hasMessageContaining(file + ":6:")
        .hasMessageContaining("unknown key 'reciever'")
        .hasMessageContaining("did you mean 'receiver'");
  }

  @Test
  void aDuplicateKeyIsRefusedInsteadOfTheLastOneWinning(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("dup.yaml");
    Files.writeString(
        file,
        """
        name: dup
        description: a drill
        description: another
        expect: []
        """);

    assertThatThrownBy(() -> DrillFiles.read(file))
        .isInstanceOf(DrillFileException.class)
        .hasMessageContaining(file + ":3:")
        .hasMessageContaining("description");
  }

  @Test
  void aFaultWithTwoKindsIsNamed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("two.yaml");
    Files.writeString(
        file,
        """
        name: two
        description: a drill
        fault:
          stop: {service: catalog}
          http: {path: /x, burst: 10, every: 5s}
        expect:
          - {alert: ServiceDown, severity: critical, receiver: pager}
        """);

    assertThatThrownBy(() -> DrillFiles.read(file))
        .hasMessageContaining("exactly one of http, stop, admin");
  }

  /**
   * Durations are read as PromDuration when the file is read (issue 26: one grammar, parsed once),
   * so a value that is no duration is refused like a wrong type: at its line and column.
   */
  @Test
  void aBadDurationIsRefusedAtItsLineAndColumn(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        name: bad
        description: a drill
        fault:
          http: {path: /x, burst: 10, every: 5 seconds}
        expect:
          - {alert: HighErrorRate, severity: critical, receiver: pager}
        """);

    assertThatThrownBy(() -> DrillFiles.read(file))
        .hasMessageContaining(file + ":4:")
        .hasMessageContaining("fault.http.every '5 seconds' is not a duration");
  }

  @Test
  void anUnknownDrillNamesTheKnownOnes() {
    assertThatThrownBy(() -> FILES.read("no-such-drill"))
        .hasMessageContaining("no drill named 'no-such-drill'")
        .hasMessageContaining("client-error-flood");
  }

  @Test
  void predictedDetectionIsOnsetPlusForPlusEvaluationPlusGroupWait() {
    Drill.ExpectedAlert highErrorRate =
        FILES.read("client-error-flood").expect().getFirst(); // HighErrorRate, for 5m, pager
    DrillTiming real = DrillTiming.real(RULES);
    DrillTiming fast = DrillTiming.of(StackProfile.test(), RULES);

    // real: deploy/ scrapes and evaluates every 15 s, pager's route waits 30 s: 2 x 15 + 300 + 15 +
    // 30
    assertThat(real.predictedNotified(highErrorRate)).contains(Duration.ofSeconds(375));
    // fast: 1 s intervals, for 5m / 30 = 10 s, waits 1 s: 2 x 1 + 10 + 1 + 1
    assertThat(fast.predictedNotified(highErrorRate)).contains(Duration.ofSeconds(14));
    assertThat(fast.notifyDeadline(highErrorRate)).contains(Duration.ofSeconds(2 * 14 + 30));
    // the SLO groups are evaluated every 1m in every profile (their counts tile minutes):
    // server-error-burst's page, onset 10 s, for 0s, pager waits 1 s: 10 + 0 + 60 + 1
    Drill.ExpectedAlert sloPage =
        FILES.read("server-error-burst").expect().stream()
            .filter(e -> e.match().alert().equals("SloBurnRatePage"))
            .findFirst()
            .orElseThrow();
    assertThat(fast.predictedNotified(sloPage)).contains(Duration.ofSeconds(71));
    assertThat(real.predictedNotified(sloPage)).contains(Duration.ofSeconds(10 + 60 + 30));
    assertThat(fast.name()).isEqualTo("fast");
    assertThat(real.name()).isEqualTo("real");
  }
}
