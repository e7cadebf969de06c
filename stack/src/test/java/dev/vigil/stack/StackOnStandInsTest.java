package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.command.StackCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
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
 * The whole local stack on random ports with the test profile: real Prometheus, Alertmanager,
 * blackbox and node exporters and alert receiver, with stand-ins as catalog and payments. {@code
 * vigil status} tells a failing black-box probe from the exporter's own health, and {@code vigil
 * down --purge} leaves nothing of what the real programs recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackOnStandInsTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

  @TempDir static Path stateDir;
  private static LocalStack stack;
  private static PrometheusClient prometheus;

  @BeforeAll
  static void up() {
    stack = new LocalStack(new StackLayout(stateDir));
    LocalStack.UpResult up =
        stack.up(DEPLOY, StackProfile.test(), StandInService.commands(), System.out::println);
    assertThat(up.missing())
        .as("binaries missing on PATH; install with: %s", up.installCommand())
        .isEmpty();
    prometheus = new PrometheusClient(stack.url(Component.PROMETHEUS));
  }

  @Test
  @Order(0)
  void upReturnsOncePrometheusHasScrapedEveryTarget() throws IOException {
    assertThat(prometheus.targets())
        .as("a query right after up finds data from every target")
        .isNotEmpty()
        .noneMatch(t -> t.health().equals("unknown"));
  }

  @AfterAll
  static void down() {
    if (stack != null) {
      stack.down(System.out::println);
    }
  }

  /** Exit code, standard output and error of one {@code vigil stack ...} command. */
  private record Run(int exit, String out, String err) {}

  private static Run vigil(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new StackCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    System.out.println(out);
    return new Run(exit, out.toString(), err.toString());
  }

  /** Waits (at most 60 s) until Prometheus has scraped this probe result of the catalog. */
  private static void awaitProbeSuccess(double expected) throws Exception {
    String query = "probe_success{job=\"blackbox-healthz\",service=\"catalog\"}";
    Instant deadline = Instant.now().plusSeconds(60);
    OptionalDouble last = OptionalDouble.empty();
    while (Instant.now().isBefore(deadline)) {
      last = prometheus.value(query, Instant.now());
      if (last.isPresent() && last.getAsDouble() == expected) {
        return;
      }
      Thread.sleep(250);
    }
    assertThat(last).as("%s after 60 s", query).hasValue(expected);
  }

  @Test
  @Order(1)
  void statusSaysTheProbeFailsWhileTheCatalogIsDownThoughTheBlackboxTargetIsUp() throws Exception {
    String healthz = Pattern.quote(stack.url(Component.CATALOG).resolve("/healthz").toString());
    awaitProbeSuccess(1);

    Run running = vigil("status", "--state-dir", stateDir.toString());

    assertThat(running.out()).containsPattern("probe\\s+" + healthz + "\\s+probe succeeds");
    assertThat(running.exit()).as(running.out()).isZero();

    stack.stop(Component.CATALOG);
    awaitProbeSuccess(0);

    Run stopped = vigil("status", "--state-dir", stateDir.toString());

    assertThat(stopped.out())
        // the symptom: the exporter answers, so its target is up while the catalog is down
        .containsPattern("blackbox-healthz\\s+" + healthz + "\\s+up")
        .containsPattern("probe\\s+" + healthz + "\\s+PROBE FAILS")
        .containsPattern("catalog\\s+STOPPED");
    assertThat(stopped.exit()).as("a component up started is down").isEqualTo(1);
  }

  @Test
  @Order(2)
  void downPurgeStopsEveryComponentAndLeavesNothingTheyRecorded() throws IOException {
    List<Long> pids = stack.status().stream().map(ComponentStatus::pid).toList();
    assertThat(stack.layout().prometheusData()).isNotEmptyDirectory();
    assertThat(stack.layout().alertmanagerData()).exists();

    Run run = vigil("down", "--purge", "--state-dir", stateDir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d alive", pid)
          .isFalse();
    }
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left)
          .as("what the real Prometheus, Alertmanager and receiver wrote is all known to purge")
          .isEmpty();
    }
  }
}
