package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.catalog.CatalogCommand;
import dev.vigil.console.ConsoleCommand;
import dev.vigil.drills.drill.DrillFiles;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillTiming;
import dev.vigil.drills.drill.RuleBook;
import dev.vigil.drills.fault.FaultPlan;
import dev.vigil.drills.fault.HttpAdminApi;
import dev.vigil.drills.incident.IncidentDraft;
import dev.vigil.drills.run.DrillRunner;
import dev.vigil.payments.PaymentsCommand;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.ComponentStatus;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackAdmin;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StackTopology;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end: the real catalog, Prometheus, Alertmanager, exporters and the local alert receiver on
 * random ports with the test profile (the drills' fast profile: rule {@code for} and Alertmanager
 * waits shortened, rule expressions unchanged), and the drill files of drills/ run against it: the
 * seed's client-error flood pages with HighErrorRate but neither pages nor burns the availability
 * SLO; a server-error burst pages with HighErrorRate and the SLO's fast burn and burns its budget;
 * stopping the catalog pages ServiceDown and burns the probe-based uptime SLO; {@code vigil slo
 * backtest} over the drills' history finds the burst's page when the drill saw it and pages outside
 * no drill; and a drill whose expected alert was removed from the rules fails naming that
 * expectation. Last, {@code vigil down --purge} stops it all and leaves nothing the real components
 * wrote but the catalog's database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertingEndToEndTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final DrillFiles DRILLS = new DrillFiles(ROOT.resolve("drills"));

  /**
   * Zipkin server's executable jar, copied from Maven Central by this module's build (see pom.xml).
   */
  private static String zipkinJar() {
    String jar = System.getProperty("zipkin.jar");
    assertThat(jar != null && Files.isRegularFile(Path.of(jar)))
        .as(
            "the Zipkin server jar (system property zipkin.jar='%s') is missing: run the tests with Maven,"
                + " which copies it into target/zipkin/",
            jar)
        .isTrue();
    return jar;
  }

  @TempDir static Path stateDir;

  /** Where the test writes its own files (a drill report, a postmortem): not the stack's state. */
  @TempDir static Path work;

  private static LocalStack stack;
  private static PrometheusClient prometheus;
  private static DrillRunner runner;
  private static Instant stackUp;
  private static DrillReport serverErrorBurst;
  private static Path serverErrorBurstJson;

  @BeforeAll
  static void up() {
    System.out.println(Instant.now() + " starting the stack");
    stackUp = Instant.now();
    stack = new LocalStack(new StackLayout(stateDir));
    // The whole local stack, as ./vigil up runs it, on random ports with the test profile's timing.
    LocalStack.UpResult up =
        stack.up(
            DEPLOY,
            StackProfile.test(),
            // the JVM options ./vigil up gives each process (ServiceCommands.ofRunningJar)
            new ServiceCommands(
                ServiceProcess.javaCommand(CatalogCommand.class.getName()),
                ServiceCommands.lightJvm(
                    ServiceProcess.javaCommand(PaymentsCommand.class.getName())),
                ServiceCommands.lightJvm(
                    ServiceProcess.javaCommand(ReceiverCommand.class.getName())),
                ServiceCommands.traceBackend(Path.of(zipkinJar())),
                ServiceCommands.lightJvm(
                    ServiceProcess.javaCommand(ConsoleCommand.class.getName()))),
            line -> System.out.println(Instant.now() + " " + line));
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    assertThat(up.started()).containsExactlyElementsOf(StackTopology.SINGLE_NODE.components());
    prometheus = new PrometheusClient(stack.url(Component.PROMETHEUS));
    runner =
        new DrillRunner(
            prometheus,
            new AlertmanagerClient(stack.url(Component.ALERTMANAGER)),
            new NotificationLog(stack.layout().notifications()),
            DrillTiming.of(stack.profile(), RuleBook.read(DEPLOY)),
            System.out);
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down(System.out::println);
    }
  }

  /** Runs a drill file against the stack and prints its markdown report. */
  private static DrillReport drill(String name) throws IOException {
    DrillReport report =
        runner.run(
            DRILLS.read(name),
            new FaultPlan(
                stack.url(Component.CATALOG),
                stack,
                service -> {
                  StackAdmin admin = StackAdmin.read(stateDir);
                  return Optional.of(new HttpAdminApi(admin.url(service), admin.token()));
                }));
    System.out.println(report.markdown());
    report.write(Path.of("target", "drill-reports"));
    report.write(work.resolve("drill-reports")); // this run's drills only: the backtest's incidents
    return report;
  }

  private static DrillReport.AlertResult alert(DrillReport report, String name) {
    return report.alerts().stream().filter(a -> a.alert().equals(name)).findFirst().orElseThrow();
  }

  private static DrillReport.BudgetResult budget(DrillReport report, String slo) {
    return report.budgets().stream().filter(b -> b.slo().equals(slo)).findFirst().orElseThrow();
  }

  /** Server errors the catalog answered during the drill, from its raw request counter. */
  private static double serverErrorsDuring(DrillReport report) throws IOException {
    long seconds = Duration.between(report.startedAt(), report.endedAt()).toSeconds() + 1;
    return prometheus
        .value(
            "sum(increase(http_requests_total{service=\"catalog\",status=~\"5..\"}["
                + seconds
                + "s])) or vector(0)",
            report.endedAt())
        .orElse(0);
  }

  @Test
  @Order(1)
  void clientErrorFloodPagesWithHighErrorRateButNeitherPagesNorBurnsTheAvailabilitySlo()
      throws IOException {
    assertThat(new NotificationLog(stack.layout().notifications()).readAll())
        .as("nothing pages before the drill")
        .noneMatch(n -> n.receiver().equals("pager"));

    DrillReport report = drill("client-error-flood");

    assertThat(report.passed()).as("drill failed: %s", report.failures()).isTrue();
    assertThat(report.profile()).isEqualTo("fast");
    DrillReport.AlertResult highErrorRate = alert(report, "HighErrorRate");
    assertThat(highErrorRate.routedTo()).containsExactly("pager");
    assertThat(highErrorRate.severity()).isEqualTo("critical");
    assertThat(highErrorRate.notifiedAt()).isAfter(highErrorRate.firingAt());
    assertThat(highErrorRate.resolvedAt()).isAfter(report.faultClearedAt());
    assertThat(report.firstBadSample()).isAfterOrEqualTo(report.faultAt().minusSeconds(1));
    assertThat(report.quiet())
        .singleElement()
        .satisfies(q -> assertThat(q.firingBefore()).as("nothing fired before").isNull())
        .satisfies(q -> assertThat(q.passed()).isTrue());
    // the truth, from the raw counter: no 5xx was answered, so no budget can have been consumed
    assertThat(serverErrorsDuring(report)).isZero();
    assertThat(budget(report, "availability").consumed()).isNotNull().isLessThanOrEqualTo(0.0);
  }

  @Test
  @Order(2)
  void serverErrorBurstPagesWithHighErrorRateAndTheSloFastBurnAndBurnsTheBudget()
      throws IOException {
    DrillReport report = drill("server-error-burst");
    serverErrorBurst = report;
    serverErrorBurstJson =
        Path.of(report.write(work.resolve("reports")).toString().replace(".md", ".json"));

    assertThat(report.passed()).as("drill failed: %s", report.failures()).isTrue();
    assertThat(alert(report, "HighErrorRate").routedTo()).containsExactly("pager");
    assertThat(alert(report, "SloBurnRatePage").severity()).isEqualTo("critical");
    assertThat(serverErrorsDuring(report)).isPositive();
    assertThat(budget(report, "availability").consumed()).isPositive();
  }

  @Test
  @Order(3)
  void theIncidentDraftOfADrillNamesItsAlertsAndTheBudgetTheRecordedSeriesLost() throws Exception {
    assertThat(serverErrorBurstJson).as("the server-error burst drill ran").isNotNull();
    Path draft = work.resolve("postmortem.md");

    int exit =
        Main.commandLine()
            .execute(
                "incident",
                "draft",
                "--drill",
                serverErrorBurstJson.toString(),
                "--state-dir",
                stateDir.toString(),
                "--runbooks",
                ROOT.resolve("docs/runbooks").toString(),
                "--out",
                draft.toString());

    assertThat(exit).isZero();
    String md = Files.readString(draft);
    System.out.println(md);
    assertThat(md)
        .contains("# Postmortem: drill server-error-burst")
        .contains("Alert fires: `HighErrorRate`")
        .contains("Alert fires: `SloBurnRatePage")
        .contains("Notified pager: `HighErrorRate`")
        .contains("[docs/runbooks/HighErrorRate.md]")
        .contains("<one sentence>")
        // an alert that did not fire is not named as firing (a scrape lost under load may leave
        // ServiceDown pending for a moment; it must not appear as fired or notified)
        .doesNotContain("Alert fires: `ServiceDown`")
        .doesNotContain("Notified pager: `ServiceDown`")
        .doesNotContain("Watchdog");
    // the recorded series' change over the window (fault start to drill end), queried here
    String series = "slo:error_budget_remaining:ratio{slo=\"availability\"}";
    double before = prometheus.value(series, serverErrorBurst.faultAt()).orElseThrow();
    double after = prometheus.value(series, serverErrorBurst.endedAt()).orElseThrow();
    assertThat(before - after).isPositive();
    assertThat(md).contains("| availability | ").contains(IncidentDraft.percent(before - after));
    assertThat(budget(serverErrorBurst, "availability").consumed()).isEqualTo(before - after);
  }

  @Test
  @Order(4)
  void stoppingTheCatalogPagesWithServiceDownAndBurnsTheUptimeBudget() throws IOException {
    DrillReport report = drill("service-down");

    assertThat(report.passed()).as("drill failed: %s", report.failures()).isTrue();
    DrillReport.AlertResult serviceDown = alert(report, "ServiceDown");
    assertThat(serviceDown.routedTo()).containsExactly("pager");
    assertThat(serviceDown.severity()).isEqualTo("critical");
    // the truth from the raw probe series: probes failed during the drill
    long seconds = Duration.between(report.startedAt(), report.endedAt()).toSeconds() + 1;
    assertThat(
            prometheus
                .value(
                    "min_over_time(probe_success{job=\"blackbox-healthz\",service=\"catalog\"}["
                        + seconds
                        + "s])",
                    report.endedAt())
                .orElseThrow())
        .isZero();
    assertThat(budget(report, "uptime").consumed()).isPositive();
    assertThat(stack.status())
        .filteredOn(s -> s.component() == Component.CATALOG)
        .singleElement()
        .satisfies(s -> assertThat(s.ready()).as("catalog restarted and ready").isTrue());
  }

  @Test
  @Order(5)
  void aSlowStatementExhaustsThePoolAndTheDrillSeesDatabaseConnectionPoolHighUsageThenSlowness()
      throws IOException {
    DrillReport report = drill("pool-exhaustion");

    assertThat(report.passed()).as("drill failed: %s", report.failures()).isTrue();
    assertThat(alert(report, "DatabaseConnectionPoolHighUsage").routedTo())
        .containsExactly("ticket");
    assertThat(alert(report, "SlowResponses").notifiedAt()).isNotNull();
    assertThat(budget(report, "latency").consumed()).isPositive();
  }

  @Test
  @Order(6)
  void anUnreachablePaymentProviderOpensTheCircuitAndPaymentCircuitOpenReachesTheTicketQueue()
      throws IOException {
    DrillReport report = drill("payment-outage");

    assertThat(report.passed()).as("drill failed: %s", report.failures()).isTrue();
    assertThat(alert(report, "PaymentCircuitOpen").routedTo()).containsExactly("ticket");
    assertThat(alert(report, "PaymentCircuitOpen").resolvedAt()).isAfter(report.faultClearedAt());
  }

  @Test
  @Order(7)
  void theBacktestOfTheDrillsHistoryFindsTheBurstWhenTheDrillSawItAndPagesNowhereElse()
      throws Exception {
    assertThat(serverErrorBurst).as("the server-error burst drill ran").isNotNull();
    // today's spec, and a candidate with the availability objective lowered to 99%
    Path candidate =
        Files.writeString(
            work.resolve("candidate.yaml"),
            Files.readString(ROOT.resolve("slos/catalog.yaml"))
                .replaceFirst("objective: 99\\.9\n", "objective: 99\n"));
    String to = Instant.now().toString();
    String json = backtest(to, candidate, "--format", "json");
    Path html = work.resolve("backtest.html");
    backtest(to, candidate, "--format", "html", "--output", html.toString());

    JsonNode backtest = new ObjectMapper().readTree(json);
    JsonNode availability = null;
    for (JsonNode slo : backtest.path("slos")) {
      // nothing went pending outside a drill that may burn the SLO (drills' baseline traffic,
      // and the client-error flood, which must not burn availability)
      assertThat(slo.get("precision").isNull() || slo.get("precision").asDouble() == 1.0)
          .as("%s: every notification belongs to a drill: %s", slo.get("slo"), slo)
          .isTrue();
      if (slo.get("slo").asText().equals("availability")) {
        availability = slo;
      }
    }
    assertThat(availability).as("the availability SLO was backtested").isNotNull();

    // the burst: the backtest's fast-burn page went pending within one evaluation interval (the
    // group's 1m; the backtest evaluates on the minute, the stack at its own offset) and two
    // scrapes of the moment the drill saw the live rule's condition hold. The stack's test
    // profile shortens every for; the backtest applies the spec's, so its firing comes later.
    DrillReport.AlertResult live = alert(serverErrorBurst, "SloBurnRatePage");
    Instant liveStart = live.pendingAt() != null ? live.pendingAt() : live.firingAt();
    Instant replayed = null;
    for (JsonNode alert : availability.path("alerts")) {
      if (alert.get("alert").asText().equals("SloBurnRatePage")
          && alert.path("labels").path("long_window").asText().equals("1h")) {
        for (JsonNode n : alert.path("notifications")) {
          Instant pending = Instant.parse(n.get("pending").asText());
          if (!pending.isBefore(serverErrorBurst.faultAt().minusSeconds(60)) && replayed == null) {
            replayed = pending;
          }
        }
      }
    }
    assertThat(replayed).as("the backtest pages for the burst: %s", availability).isNotNull();
    assertThat(Duration.between(liveStart, replayed).abs())
        .as("backtest pending %s, live pending %s", replayed, liveStart)
        .isLessThanOrEqualTo(Duration.ofSeconds(60 + 2));
    JsonNode detection = null;
    for (JsonNode d : availability.path("detections")) {
      if (d.path("incident").path("name").asText().startsWith("server-error-burst")) {
        detection = d;
      }
    }
    assertThat(detection).as("the burst is scored as an incident").isNotNull();
    assertThat(detection.get("alert").asText()).startsWith("SloBurnRate");

    // at 99% the same history pages no more often (the budget is ten times larger)
    JsonNode lowered = null;
    for (JsonNode slo : backtest.path("candidate")) {
      if (slo.get("slo").asText().equals("availability")) {
        lowered = slo;
      }
    }
    assertThat(lowered).as("the candidate was backtested").isNotNull();
    assertThat(pages(lowered)).isLessThanOrEqualTo(pages(availability));
    assertThat(Files.readString(html))
        .contains("SloBurnRatePage 1h/5m")
        .contains("server-error-burst (drill)")
        .contains("candidate: catalog / availability")
        .doesNotContain("NaN")
        .doesNotContain("<script");
  }

  /** Runs {@code vigil slo backtest} over the stack's history with this run's drill reports. */
  private static String backtest(String to, Path candidate, String... format) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args =
        new ArrayList<>(
            List.of(
                "slo",
                "backtest",
                ROOT.resolve("slos/catalog.yaml").toString(),
                "--prometheus",
                stack.url(Component.PROMETHEUS).toString(),
                "--from",
                stackUp.toString(),
                "--to",
                to,
                "--incidents",
                work.resolve("drill-reports").toString(),
                "--compare",
                candidate.toString()));
    args.addAll(List.of(format));
    int exit = cli.execute(args.toArray(String[]::new));
    System.out.println(out);
    System.out.println(err);
    assertThat(exit).as("vigil slo backtest: %s", err).isZero();
    return out.toString();
  }

  /** The page notifications of one SLO in the backtest's JSON. */
  private static int pages(JsonNode slo) {
    int pages = 0;
    for (JsonNode alert : slo.path("alerts")) {
      if ("critical".equals(alert.path("labels").path("severity").asText())) {
        pages += alert.path("notifications").size();
      }
    }
    return pages;
  }

  @Test
  @Order(8)
  void aDrillWhoseExpectedAlertWasRemovedFromTheRulesFailsNamingTheBrokenExpectation()
      throws Exception {
    Path rendered = stack.layout().configDir().resolve("prometheus/rules/http.yml");
    YAMLMapper yaml = new YAMLMapper();
    JsonNode rules = yaml.readTree(rendered.toFile());
    for (JsonNode group : rules.path("groups")) {
      Iterator<JsonNode> it = ((ArrayNode) group.path("rules")).iterator();
      while (it.hasNext()) {
        if ("HighErrorRate".equals(it.next().path("alert").asText())) {
          it.remove();
        }
      }
    }
    yaml.writeValue(rendered.toFile(), (ObjectNode) rules);
    long pid =
        stack.status().stream()
            .filter(s -> s.component() == Component.PROMETHEUS)
            .findFirst()
            .orElseThrow()
            .pid();
    // Prometheus reloads its configuration and rule files on SIGHUP
    assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start().waitFor()).isZero();
    Instant deadline = Instant.now().plusSeconds(30);
    while (prometheus.alertRules().stream().anyMatch(r -> r.name().equals("HighErrorRate"))
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }

    DrillReport report = drill("client-error-flood");

    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .singleElement()
        .asString()
        .startsWith("HighErrorRate (critical) reaches pager, then resolves: ")
        .contains("no alerting rule named HighErrorRate");
    assertThat(report.markdown()).contains("FAIL: HighErrorRate (critical) reaches pager");
  }

  @Test
  @Order(9)
  void downPurgeStopsTheWholeStackAndRemovesAllItRecordedButTheServicesData() throws IOException {
    int exit =
        Main.commandLine().execute("stack", "down", "--purge", "--state-dir", stateDir.toString());

    assertThat(exit).isZero();
    assertThat(stack.status()).noneMatch(ComponentStatus::running);
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as(
              "what every real component wrote into the state directory is known to the purge;"
                  + " the catalog's database and the provider's ledger are kept")
          .containsExactlyInAnyOrder("db", "payments");
    }
  }
}
