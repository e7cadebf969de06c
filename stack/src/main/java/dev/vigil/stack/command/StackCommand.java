package dev.vigil.stack.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.ComponentStatus;
import dev.vigil.stack.Launch;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StackStartException;
import dev.vigil.stack.StatePurge;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil stack up|down|status}: the local stack (catalog, payments, Prometheus, Alertmanager,
 * node_exporter, blackbox_exporter, alert receiver, trace backend) as background processes on
 * loopback, state under {@code .vigil/}. The launcher maps {@code ./vigil up|down|status} here.
 * Output goes through picocli's {@code getOut()}/{@code getErr()}; the work is {@link
 * LocalStack}'s.
 */
@Command(
    name = "stack",
    mixinStandardHelpOptions = true,
    description = "Run the local monitoring stack without Docker.",
    subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
public final class StackCommand {

  /** {@code stack up}: render configs, start what is not running, wait until ready. */
  @Command(
      name = "up",
      mixinStandardHelpOptions = true,
      description =
          "Start the local stack in the background on 127.0.0.1: the catalog and the payment"
              + " provider, Prometheus, Alertmanager and its local receiver, node_exporter,"
              + " blackbox_exporter, Zipkin (traces) and the console (http://127.0.0.1:3000);"
              + " with --profile ha every replica of the ha topology (docs/scaling.md)."
              + " Prometheus' tools come from PATH; Zipkin's jar is fetched from Maven Central"
              + " once (about 135 MB).")
  public static final class Up implements Callable<Integer> {

    @Option(
        names = "--deploy-dir",
        defaultValue = "deploy",
        paramLabel = "DIR",
        description = "The repository's deploy/ directory (default: ${DEFAULT-VALUE})")
    Path deployDir;

    @Option(
        names = "--profile",
        defaultValue = "default",
        description =
            "default (ports 8000, 9090, 9093...), test (random ports, shortened timing), ha"
                + " (replicated: two catalogs behind HAProxy on PostgreSQL, two vmagent shards"
                + " into VictoriaMetrics, two vmalert, two clustered Alertmanagers;"
                + " docs/scaling.md) or ha-test (ha with random ports and shortened timing)")
    String profile;

    @Mixin StateDirOption state;

    @Spec CommandSpec spec;

    /**
     * Starts the stack.
     *
     * @return 0 when every component found on PATH is ready (missing binaries are reported, not
     *     fatal); 1 when a component failed to start; 2 on a usage error
     */
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<StackProfile> chosen = StackProfile.named(profile);
      if (chosen.isEmpty()) {
        err.println("unknown profile '" + profile + "'; use default, test, ha or ha-test");
        return 2;
      }
      LocalStack stack = state.stack();
      Optional<ServiceCommands> commands;
      try {
        commands = ServiceCommands.ofRunningJar(stack.layout());
      } catch (IOException e) {
        err.println(
            "vigil up failed: cannot copy the vigil jar into "
                + stack.layout().jarCopies()
                + ": "
                + e.getMessage());
        return 1;
      }
      if (commands.isEmpty()) {
        err.println(
            "vigil is not running from its jar, so it cannot start the catalog and payments"
                + " by itself; run ./vigil up");
        return 2;
      }
      LocalStack.UpResult result;
      try {
        result = stack.up(deployDir, chosen.get(), commands.get(), out::println);
      } catch (StackStartException | IllegalStateException e) {
        err.println("vigil up failed: " + e.getMessage());
        return 1;
      }
      boolean tracing = !commands.get().traceBackend().isEmpty();
      if (!tracing) {
        out.println();
        out.println(
            "Trace backend not started: "
                + stack.layout().traceBackendJar()
                + " is missing (./vigil up"
                + " fetches it from Maven Central). Services still trace for logs and exemplars and export nothing.");
      }
      if (!result.missing().isEmpty()) {
        out.println();
        out.println("Not started, binary not found on PATH:");
        for (Component c : result.missing()) {
          c.tool()
              .ifPresent(
                  tool ->
                      out.println(
                          "  "
                              + c.id()
                              + " (looked for "
                              + String.join(" or ", tool.executables())
                              + "; Debian package "
                              + tool.debianPackage()
                              + ")"));
        }
        out.println("Add them with:  " + result.installCommand() + "   then run ./vigil up again.");
      }
      out.println();
      if (result.started().contains(Component.CONSOLE)
          || result.alreadyRunning().contains(Component.CONSOLE)) {
        out.println("console      " + stack.url(Component.CONSOLE) + "/");
      }
      out.println("catalog      " + stack.url(Component.CATALOG));
      out.println("payments     " + stack.url(Component.PAYMENTS));
      if (tracing) {
        out.println("traces (UI)  " + stack.url(Component.TRACE_BACKEND) + "/zipkin/");
      }
      if (!result.missing().contains(Component.PROMETHEUS)) {
        out.println("Prometheus   " + stack.url(Component.PROMETHEUS));
      }
      if (!result.missing().contains(Component.ALERTMANAGER)) {
        out.println("Alertmanager " + stack.url(Component.ALERTMANAGER));
      }
      out.println(
          "admin APIs   catalog http://127.0.0.1:"
              + stack.profile().ports().catalogAdmin()
              + ", payments http://127.0.0.1:"
              + stack.profile().ports().paymentsAdmin()
              + " (token in "
              + stack.layout().adminToken()
              + "; ./vigil fault list|set|clear)");
      out.println("./vigil status shows targets and alerts; ./vigil down stops everything.");
      return 0;
    }
  }

  /**
   * {@code stack down}: stop everything {@code up} started, and with --purge remove its history.
   */
  @Command(
      name = "down",
      mixinStandardHelpOptions = true,
      description = "Stop everything ./vigil up started.")
  public static final class Down implements Callable<Integer> {

    @Option(
        names = "--purge",
        description =
            "Also remove what the stack recorded, to start again with empty history: Prometheus"
                + " and Alertmanager data, logs, notifications, profiles, known error fingerprints, drill"
                + " reports, the admin"
                + " token, rendered configs and pid files. Keeps the catalog's database (db/) and"
                + " the downloaded trace backend (zipkin/). Refused for a directory that does not"
                + " look like a vigil state directory.")
    boolean purge;

    @Mixin StateDirOption state;

    @Spec CommandSpec spec;

    /**
     * Stops the stack and, with {@code --purge}, removes its recorded history ({@link StatePurge}).
     *
     * @return 0 when stopped (and purged); 1 when an entry could not be removed; 2 when the state
     *     directory does not look like vigil's (then nothing is stopped or removed)
     */
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LocalStack stack = state.stack();
      Path root = stack.layout().root();
      StatePurge purging = new StatePurge(stack.layout());
      if (purge) {
        Optional<String> refusal = purging.refusal();
        if (refusal.isPresent()) {
          err.println(
              "vigil down --purge refused: "
                  + refusal.get()
                  + ". Nothing was stopped or removed. Check --state-dir and $VIGIL_DATA_DIR,"
                  + " or remove the directory by hand if it really is vigil's.");
          return 2;
        }
      }
      stack.down(out::println);
      if (!purge) {
        out.println(
            "local stack stopped (state kept in "
                + root
                + "; ./vigil down --purge also removes its history)");
        return 0;
      }
      StatePurge.Outcome outcome = purging.purge();
      out.println(
          "local stack stopped; removed from "
              + root
              + ": "
              + (outcome.removed().isEmpty()
                  ? "nothing (no history recorded)"
                  : names(root, outcome.removed())));
      if (!outcome.kept().isEmpty()) {
        out.println(
            "kept: "
                + names(root, outcome.kept())
                + " (the catalog's database, the downloaded trace backend)");
      }
      for (String failure : outcome.failures()) {
        err.println("could not remove " + failure);
      }
      return outcome.failures().isEmpty() ? 0 : 1;
    }

    private static String names(Path root, List<Path> entries) {
      return entries.stream()
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.joining(" "));
    }
  }

  /** The components whose targets {@code status} lists: whatever scrapes. */
  private static final Set<Component> SCRAPERS =
      Set.of(Component.PROMETHEUS, Component.VMAGENT, Component.VICTORIA_METRICS);

  /** {@code stack status}: components, Prometheus targets, alerts firing, last notifications. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Show each component (pid, ready), Prometheus targets with their health, alerts firing"
              + " now and the last notifications.")
  public static final class Status implements Callable<Integer> {

    @Mixin StateDirOption state;

    @Spec CommandSpec spec;

    /**
     * Prints the status.
     *
     * @return 0 when every component {@code up} started runs and is ready; 1 when one is stopped or
     *     not ready, when nothing runs (a stopped stack is not a healthy one: scripts read the exit
     *     code), or when the state file is unreadable
     */
    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      LocalStack stack = state.stack();
      Set<String> launched;
      List<Launch> scrapers;
      try {
        launched =
            stack.state().stream()
                .flatMap(s -> s.launches().stream())
                .map(Launch::id)
                .collect(Collectors.toSet());
        scrapers =
            stack.state().stream()
                .flatMap(s -> s.launches().stream())
                .filter(l -> SCRAPERS.contains(l.component()))
                .toList();
      } catch (IllegalStateException e) {
        err.println("vigil status: " + e.getMessage());
        return 1;
      }
      out.println(
          "Components (profile "
              + stack.profile().name()
              + ", state "
              + stack.layout().root()
              + "):");
      List<ComponentStatus> statuses = stack.status();
      boolean anyRunning = statuses.stream().anyMatch(ComponentStatus::running);
      boolean allReady = true;
      for (ComponentStatus s : statuses) {
        // a component up started that no longer runs (crashed, killed) is down, not merely stopped
        boolean down = anyRunning && !s.running() && launched.contains(s.id());
        String line =
            s.running()
                ? "running  pid "
                    + s.pid()
                    + "  "
                    + (s.ready() ? "ready" : "NOT READY")
                    + "  "
                    + s.readiness()
                : down ? "STOPPED (started by ./vigil up; ./vigil up starts it again)" : "stopped";
        allReady &= s.running() ? s.ready() : !down;
        out.printf("  %-18s %s%n", s.id(), line);
      }
      PrometheusClient prometheus = new PrometheusClient(stack.url(Component.PROMETHEUS));
      try {
        for (Launch scraper : scrapers) {
          URI r = scraper.readiness();
          out.println("Targets of " + scraper.id() + ":");
          for (PrometheusClient.Target t :
              new PrometheusClient(URI.create("http://" + r.getHost() + ":" + r.getPort()))
                  .targets()) {
            out.printf(
                "  %-18s %-40s %s%s%n",
                t.job(),
                t.instance(),
                t.health(),
                t.lastError().isEmpty() ? "" : "  (" + t.lastError() + ")");
          }
        }
        // a blackbox target's "up" is the exporter's; what it probes answers in probe_success
        for (PrometheusClient.RangeSeries probe :
            prometheus.range("probe_success", Instant.now(), Instant.now(), 1)) {
          boolean ok = !probe.points().isEmpty() && probe.points().get(0).value() == 1;
          out.printf(
              "  %-18s %-40s %s%n",
              "  probe",
              probe.labels().getOrDefault("instance", "?"),
              ok ? "probe succeeds" : "PROBE FAILS");
        }
      } catch (IOException e) {
        out.println("  (unknown: " + e.getMessage() + ")");
      }
      AlertsCommand.printFiring(prometheus, out);
      NotificationLog log = new NotificationLog(stack.layout().notifications());
      try {
        AlertsCommand.printNotifications(log.last(5), log, out);
      } catch (IllegalStateException e) {
        out.println("  (" + e.getMessage() + ")");
      }
      if (!anyRunning) {
        out.println("Nothing runs: start the stack with ./vigil up");
      }
      out.flush();
      return allReady && anyRunning ? 0 : 1;
    }
  }
}
