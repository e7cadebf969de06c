package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.catalog.CatalogCommand;
import dev.vigil.console.ConsoleCommand;
import dev.vigil.drills.drill.Drill;
import dev.vigil.drills.drill.DrillReport;
import dev.vigil.drills.drill.DrillRunner;
import dev.vigil.payments.PaymentsCommand;
import dev.vigil.prometheus.AlertmanagerClient;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.process.ServiceProcess;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real catalog, Prometheus, Alertmanager, exporters and the local alert receiver on
 * random ports with the test profile (rule {@code for} and Alertmanager waits shortened, rule
 * expressions unchanged). The seed's "Testing Alerts" traffic must page (HighErrorRate, critical,
 * receiver pager) and resolve once the errors stop; stopping the catalog must page ServiceDown.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertingEndToEndTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

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
  private static LocalStack stack;
  private static DrillRunner runner;

  @BeforeAll
  static void up() {
    stack = new LocalStack(new StackLayout(stateDir));
    // The whole local stack, as ./vigil up runs it, on random ports with the test profile's timing.
    LocalStack.UpResult up =
        stack.up(
            DEPLOY,
            StackProfile.test(),
            new ServiceCommands(
                ServiceProcess.javaCommand(CatalogCommand.class.getName()),
                ServiceProcess.javaCommand(PaymentsCommand.class.getName()),
                ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-jar",
                    zipkinJar()),
                ServiceProcess.javaCommand(ConsoleCommand.class.getName())),
            System.out::println);
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    assertThat(up.started()).containsExactly(Component.values());
    runner =
        new DrillRunner(
            new PrometheusClient(stack.url(Component.PROMETHEUS)),
            new AlertmanagerClient(stack.url(Component.ALERTMANAGER)),
            new NotificationLog(stack.layout().notifications()),
            System.out);
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down(System.out::println);
    }
  }

  @Test
  @Order(1)
  void seedErrorTrafficPagesWithHighErrorRateAndResolvesOnceErrorsStop() throws IOException {
    assertThat(new NotificationLog(stack.layout().notifications()).readAll())
        .as("nothing pages before the drill")
        .noneMatch(n -> n.receiver().equals("pager"));

    DrillReport report = runner.run(Drill.highErrorRate(stack));
    report.lines().forEach(System.out::println);

    assertThat(report.passed()).as("drill failed: %s", report.failure()).isTrue();
    assertThat(report.routedTo()).containsExactly("pager");
    assertThat(report.severity()).isEqualTo("critical");
    assertThat(report.notified()).isGreaterThan(report.firing());
    assertThat(report.resolved()).isGreaterThan(report.notified());
    System.out.printf(
        "E2E: first error -> HighErrorRate notification at pager: %.1f s%n",
        report.notified().toMillis() / 1000.0);
  }

  @Test
  @Order(2)
  void stoppingTheCatalogPagesWithServiceDown() throws IOException {
    DrillReport report = runner.run(Drill.serviceDown(stack));
    report.lines().forEach(System.out::println);

    assertThat(report.passed()).as("drill failed: %s", report.failure()).isTrue();
    assertThat(report.routedTo()).containsExactly("pager");
    assertThat(report.severity()).isEqualTo("critical");
    assertThat(stack.status())
        .filteredOn(s -> s.component() == Component.CATALOG)
        .singleElement()
        .satisfies(s -> assertThat(s.ready()).as("catalog restarted and ready").isTrue());
  }
}
