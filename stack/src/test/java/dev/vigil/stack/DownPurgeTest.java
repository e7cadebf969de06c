package dev.vigil.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.stack.command.ReceiverCommand;
import dev.vigil.stack.command.StackCommand;
import dev.vigil.stack.process.ServiceProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil down --purge} on state directories made by hand: what it removes and keeps, and the
 * directories it refuses to touch. The whole stack's real state is purged in {@link
 * StackOnStandInsTest}.
 */
class DownPurgeTest {

  private static final Path DEPLOY =
      Path.of(System.getProperty("vigil.root", "..")).resolve("deploy");

  @TempDir Path dir;
  private Supervisor supervisor;

  @AfterEach
  void stop() {
    if (supervisor != null) {
      supervisor.stop(Component.CATALOG);
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
    return new Run(exit, out.toString(), err.toString());
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * A state directory as {@code up} and the services leave it, with the catalog (a stand-in)
   * running.
   */
  private StackLayout recordedState() throws IOException {
    StackLayout layout = new StackLayout(dir);
    StackProfile profile = StackProfile.test();
    List<Launch> launches =
        new LaunchPlan(
                profile,
                layout,
                new ConfigRenderer(DEPLOY.toAbsolutePath(), profile, layout.configDir()),
                new ServiceCommands(
                    ServiceProcess.javaCommand(StandInService.class.getName()),
                    ServiceProcess.javaCommand(StandInService.class.getName()),
                    ServiceProcess.javaCommand(ReceiverCommand.class.getName()),
                    List.of()))
            .launches()
            .launches();
    new StackStateFile(layout.stateFile()).write(new StackState(profile, launches));
    StackAdmin.writeToken(layout);
    write(layout.prometheusData().resolve("wal/00000000"), "tsdb");
    write(layout.alertmanagerData().resolve("nflog"), "nflog");
    write(layout.notifications(), "{}\n");
    write(layout.logFile(Component.PROMETHEUS), "{}\n");
    write(layout.configDir().resolve("prometheus/prometheus.yml"), "global: {}\n");
    write(layout.profiles().resolve("catalog-20261202T060000Z.jfr"), "jfr");
    write(layout.drillReports().resolve("client-error-flood.md"), "# drill\n");
    write(layout.backtests().resolve("backtest-20261207T170000Z.html"), "<!doctype html>\n");
    write(layout.knownErrors().resolve("catalog-known-fingerprints.tsv"), "fingerprint\n");
    write(layout.catalogDatabase().resolve("catalog.mv.db"), "orders");
    write(layout.traceBackendJar(), "zipkin");
    Launch catalog =
        launches.stream().filter(l -> l.component() == Component.CATALOG).findFirst().orElseThrow();
    supervisor = new Supervisor(layout);
    supervisor.awaitReady(catalog, supervisor.spawn(catalog));
    return layout;
  }

  @Test
  void downPurgeStopsTheStackRemovesItsHistoryAndKeepsTheDatabaseAndTheTraceBackend()
      throws IOException {
    StackLayout layout = recordedState();
    long catalog = supervisor.livePid(Component.CATALOG);
    assertThat(catalog).isPositive();

    Run run = vigil("down", "--purge", "--state-dir", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(ProcessHandle.of(catalog).map(ProcessHandle::isAlive).orElse(false))
        .as("the catalog was stopped before its state was removed")
        .isFalse();
    assertThat(entries(dir)).as("left in the state directory").containsExactly("db", "zipkin");
    assertThat(layout.catalogDatabase().resolve("catalog.mv.db")).hasContent("orders");
    assertThat(layout.traceBackendJar()).hasContent("zipkin");
    assertThat(run.out())
        .contains("catalog: stopped (pid " + catalog + ")")
        .contains("removed from " + dir + ": run logs config prometheus alertmanager alerts")
        .contains("admin-token profiles errors drills")
        .contains("kept: db zipkin");

    Run again = vigil("down", "--purge", "--state-dir", dir.toString());
    assertThat(again.exit()).as("a purged directory purges again: %s", again.err()).isZero();
    assertThat(again.out()).contains("removed from " + dir + ": nothing");
  }

  @Test
  void downPurgeRefusesADirectoryThatIsNotAVigilStateDirectoryAndTouchesNothing()
      throws IOException {
    // e.g. VIGIL_DATA_DIR=$HOME: it has logs/ like vigil, and much else
    write(dir.resolve("logs/app.log"), "mine");
    write(dir.resolve("Documents/thesis.tex"), "mine");
    write(dir.resolve(".bashrc"), "mine");

    Run run = vigil("down", "--purge", "--state-dir", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("vigil down --purge refused: " + dir + " does not look like a vigil state")
        .contains("'.bashrc', 'Documents'")
        .contains("Nothing was stopped or removed")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(entries(dir)).containsExactly(".bashrc", "Documents", "logs");
    assertThat(dir.resolve("logs/app.log")).hasContent("mine");
  }

  @Test
  void downPurgeRefusesADirectoryWhereVigilUpNeverRan() throws IOException {
    write(dir.resolve("logs/app.log"), "mine");
    write(dir.resolve("config/app.yml"), "mine");

    Run run = vigil("down", "--purge", "--state-dir", dir.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("it has no run/stack.json, which every ./vigil up writes")
        .doesNotContain("Exception");
    assertThat(dir.resolve("logs/app.log")).hasContent("mine");
    assertThat(dir.resolve("config/app.yml")).hasContent("mine");
  }

  @Test
  void downPurgeRemovesALinkInTheStateDirectoryButNotWhatItPointsTo(@TempDir Path elsewhere)
      throws IOException {
    StackLayout layout = new StackLayout(dir);
    new StackStateFile(layout.stateFile()).write(new StackState(StackProfile.test(), List.of()));
    write(elsewhere.resolve("precious.log"), "mine");
    Files.createSymbolicLink(dir.resolve("logs"), elsewhere);
    Files.createDirectories(layout.profiles());
    Files.createSymbolicLink(layout.profiles().resolve("all"), elsewhere);

    Run run = vigil("down", "--purge", "--state-dir", dir.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(entries(dir)).isEmpty();
    assertThat(elsewhere.resolve("precious.log")).hasContent("mine");
  }

  @Test
  void downPurgeOfAStateDirectoryThatDoesNotExistStopsNothingAndSaysSo() {
    Path missing = dir.resolve("never-started");

    Run run = vigil("down", "--purge", "--state-dir", missing.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("removed from " + missing + ": nothing");
    assertThat(missing).doesNotExist();
  }

  @Test
  void downWithoutPurgeKeepsTheStateAndNamesTheOption() throws IOException {
    write(dir.resolve("logs/catalog.log"), "{}\n");

    Run run = vigil("down", "--state-dir", dir.toString());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("./vigil down --purge also removes its history");
    assertThat(dir.resolve("logs/catalog.log")).exists();
  }
}
