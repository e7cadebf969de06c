package dev.vigil.drills;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.drills.command.DrillCommand;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.ComponentStatus;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StandInService;
import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.command.StackCommand;
import dev.vigil.stack.process.ServiceProcess;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole local stack on random ports with the test profile: real Prometheus, Alertmanager,
 * exporters and alert receiver, and a stand-in service as the catalog; the watchdog drill runs
 * against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackTest {

  private static final Path ROOT = Path.of(System.getProperty("vigil.root", ".."));
  private static final Path DEPLOY = ROOT.resolve("deploy");

  @TempDir static Path stateDir;
  private LocalStack stack;
  private LocalStack.UpResult up;

  @BeforeAll
  void up() {
    stack = new LocalStack(new StackLayout(stateDir));
    // The stand-in serves as catalog and as payments; no trace backend (the end-to-end test runs
    // Zipkin).
    up =
        stack.up(
            DEPLOY,
            StackProfile.test(),
            new ServiceCommands(
                ServiceProcess.javaCommand(StandInService.class.getName()),
                ServiceProcess.javaCommand(StandInService.class.getName()),
                ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
                List.of()),
            System.out::println);
  }

  @AfterAll
  void down() {
    if (stack != null) {
      stack.down(System.out::println);
    }
  }

  @Test
  @Order(1)
  void upStartsEveryComponentWithAPidFileAndALog() {
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    assertThat(up.started())
        .containsExactlyElementsOf(
            Arrays.stream(Component.values())
                .filter(c -> c != Component.TRACE_BACKEND && c != Component.CONSOLE)
                .toList()); // neither was asked for
    for (ComponentStatus status : stack.status()) {
      if (status.component() == Component.TRACE_BACKEND
          || status.component() == Component.CONSOLE) {
        assertThat(status.running()).as("no %s was asked for", status.component()).isFalse();
        continue;
      }
      assertThat(status.running()).as("%s running", status.component()).isTrue();
      assertThat(status.ready())
          .as("%s ready at %s", status.component(), status.readiness())
          .isTrue();
      assertThat(stack.layout().pidFile(status.component()))
          .content()
          .isEqualToIgnoringNewLines(Long.toString(status.pid()));
      assertThat(stack.layout().logFile(status.component())).exists();
    }
  }

  @Test
  @Order(2)
  void watchdogReachesTheWatchdogReceiver() {
    int exit =
        new CommandLine(new DrillCommand())
            .execute(
                "run",
                "watchdog",
                "--state-dir",
                stateDir.toString(),
                "--drills",
                ROOT.resolve("drills").toString(),
                "--deploy-dir",
                DEPLOY.toString());

    assertThat(exit).isZero();
    List<Notification> recorded = new NotificationLog(stack.layout().notifications()).readAll();
    assertThat(recorded)
        .anySatisfy(
            n -> {
              assertThat(n.is("Watchdog", Notification.FIRING)).isTrue();
              assertThat(n.receiver()).isEqualTo("watchdog");
            });
  }

  @Test
  @Order(3)
  void statusListsComponentsAndTargetsWithTheirHealth() throws Exception {
    PrometheusClient prometheus = new PrometheusClient(stack.url(Component.PROMETHEUS));
    awaitTargetUp(prometheus, "catalog");

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit =
          new CommandLine(new StackCommand()).execute("status", "--state-dir", stateDir.toString());
    } finally {
      System.setOut(original);
    }
    String status = captured.toString(StandardCharsets.UTF_8);
    original.println(status);

    assertThat(exit).isZero();
    assertThat(status)
        .contains("prometheus", "alertmanager", "receiver", "ready")
        .containsPattern(
            "catalog\\s+127\\.0\\.0\\.1:" + stack.profile().ports().catalog() + "\\s+up")
        .contains("Watchdog")
        .contains("watchdog firing Watchdog");
    assertThat(new NotificationLog(stack.layout().notifications()).readAll())
        .as("nothing pages while the stack starts (Prometheus starts after its targets are ready)")
        .noneMatch(n -> n.receiver().equals("pager"));
  }

  @Test
  @Order(4)
  void downStopsEverythingAndRemovesThePidFiles() {
    List<Long> pids = stack.status().stream().map(ComponentStatus::pid).toList();

    stack.down(System.out::println);

    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d alive", pid)
          .isFalse();
    }
    for (Component c : Component.values()) {
      assertThat(Files.exists(stack.layout().pidFile(c))).as("pid file of %s", c).isFalse();
    }
    assertThat(stack.status()).noneMatch(ComponentStatus::running);
  }

  private static void awaitTargetUp(PrometheusClient prometheus, String job)
      throws IOException, InterruptedException {
    for (int i = 0; i < 60; i++) {
      if (prometheus.targets().stream()
          .anyMatch(t -> t.job().equals(job) && t.health().equals("up"))) {
        return;
      }
      Thread.sleep(500);
    }
    assertThat(prometheus.targets())
        .as("targets of job %s", job)
        .anyMatch(t -> t.job().equals(job) && t.health().equals("up"));
  }
}
