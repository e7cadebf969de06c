package dev.vigil.stack.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.ComponentStatus;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.ServiceCommands;
import dev.vigil.stack.StackLayout;
import dev.vigil.stack.StackProfile;
import dev.vigil.stack.StackStartException;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil stack up|down|status}: the local stack (catalog, Prometheus, Alertmanager, node_exporter,
 * blackbox_exporter, alert receiver) as background processes on loopback, state under {@code .vigil/}.
 * The launcher maps {@code ./vigil up|down|status} here.
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
      description = "Start catalog, alert receiver, node_exporter, blackbox_exporter, Alertmanager and "
          + "Prometheus in the background; binaries come from PATH.")
  public static final class Up implements Callable<Integer> {

    @Option(names = "--deploy-dir", defaultValue = "deploy", paramLabel = "DIR",
        description = "The repository's deploy/ directory (default: ${DEFAULT-VALUE})")
    Path deployDir;

    @Option(names = "--profile", defaultValue = "default",
        description = "default (ports of contracts.md) or test (random ports, shortened timing)")
    String profile;

    @Mixin StateDirOption state;

    /**
     * Starts the stack.
     *
     * @return 0 when every component found on PATH is ready (missing binaries are reported, not fatal);
     *     1 when a component failed to start; 2 on a usage error
     */
    @Override
    public Integer call() {
      StackProfile chosen = switch (profile) {
        case "default" -> StackProfile.defaults();
        case "test" -> StackProfile.test();
        default -> null;
      };
      if (chosen == null) {
        System.err.println("unknown profile '" + profile + "'; use default or test");
        return 2;
      }
      LocalStack stack = state.stack();
      List<String> vigil;
      try {
        vigil = vigilJarCommand(stack.layout());
      } catch (IOException e) {
        System.err.println("vigil up failed: cannot copy the vigil jar into " + stack.layout().jarCopies()
            + ": " + e.getMessage());
        return 1;
      }
      if (vigil == null) {
        System.err.println("vigil is not running from its jar, so it cannot start the catalog and payments"
            + " by itself; run ./vigil up");
        return 2;
      }
      Path zipkinJar = stack.layout().traceBackendJar();
      List<String> traceBackend = Files.isRegularFile(zipkinJar)
          ? List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", zipkinJar.toString())
          : List.of();
      ServiceCommands commands = new ServiceCommands(
          append(vigil, "catalog"), append(vigil, "payments"),
          append(vigil, "receiver"), traceBackend);
      LocalStack.UpResult result;
      try {
        result = stack.up(deployDir, chosen, commands, System.out);
      } catch (StackStartException | IllegalStateException e) {
        System.err.println("vigil up failed: " + e.getMessage());
        return 1;
      }
      if (traceBackend.isEmpty()) {
        System.out.println();
        System.out.println("Trace backend not started: " + zipkinJar + " is missing (./vigil up fetches it"
            + " from Maven Central). Services still trace for logs and exemplars and export nothing.");
      }
      if (!result.missing().isEmpty()) {
        System.out.println();
        System.out.println("Not started, binary not found on PATH:");
        for (Component c : result.missing()) {
          System.out.println("  " + c.id() + " (looked for " + String.join(" or ", c.binaries())
              + "; Debian package " + c.debianPackage() + ")");
        }
        System.out.println("Add them with:  " + result.installCommand() + "   then run ./vigil up again.");
      }
      System.out.println();
      System.out.println("catalog      " + stack.url(Component.CATALOG));
      System.out.println("payments     " + stack.url(Component.PAYMENTS));
      if (!traceBackend.isEmpty()) {
        System.out.println("traces (UI)  " + stack.url(Component.TRACE_BACKEND) + "/zipkin/");
      }
      if (!result.missing().contains(Component.PROMETHEUS)) {
        System.out.println("Prometheus   " + stack.url(Component.PROMETHEUS));
      }
      if (!result.missing().contains(Component.ALERTMANAGER)) {
        System.out.println("Alertmanager " + stack.url(Component.ALERTMANAGER));
      }
      System.out.println("./vigil status shows targets and alerts; ./vigil down stops everything.");
      return 0;
    }

    /**
     * {@code java -jar <copy of this jar>} when this JVM runs from a single jar, else null. The services
     * run from a copy named by the jar's build time (see {@link StackLayout#jarCopies()}), so a rebuild
     * while the stack runs does not pull their classes from under them.
     */
    private static List<String> vigilJarCommand(StackLayout layout) throws IOException {
      String classPath = System.getProperty("java.class.path");
      if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
        return null;
      }
      Path jar = Path.of(classPath).toAbsolutePath();
      Path copy = layout.jarCopies().resolve("vigil-" + Files.getLastModifiedTime(jar).toMillis() + ".jar");
      if (!Files.exists(copy)) {
        Files.createDirectories(copy.getParent());
        Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
        Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
      }
      return List.of(java(), "-jar", copy.toString());
    }

    private static String java() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> append(List<String> command, String argument) {
      List<String> out = new ArrayList<>(command);
      out.add(argument);
      return out;
    }
  }

  /** {@code stack down}: stop everything {@code up} started. */
  @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop everything ./vigil up started.")
  public static final class Down implements Callable<Integer> {

    @Mixin StateDirOption state;

    /**
     * Stops the stack.
     *
     * @return 0
     */
    @Override
    public Integer call() {
      LocalStack stack = state.stack();
      stack.down(System.out);
      System.out.println("local stack stopped (state kept in " + stack.layout().root() + ")");
      return 0;
    }
  }

  /** {@code stack status}: components, Prometheus targets, alerts firing, last notifications. */
  @Command(name = "status", mixinStandardHelpOptions = true,
      description = "Show each component (pid, ready), Prometheus targets with their health, alerts firing"
          + " now and the last notifications.")
  public static final class Status implements Callable<Integer> {

    @Mixin StateDirOption state;

    /**
     * Prints the status.
     *
     * @return 0 when every started component is ready, 1 otherwise
     */
    @Override
    public Integer call() {
      LocalStack stack = state.stack();
      System.out.println("Components (profile " + stack.profile().name() + ", state " + stack.layout().root() + "):");
      boolean allReady = true;
      for (ComponentStatus s : stack.status()) {
        String line = s.running()
            ? "running  pid " + s.pid() + "  " + (s.ready() ? "ready" : "NOT READY") + "  " + s.readiness()
            : "stopped";
        allReady &= !s.running() || s.ready();
        System.out.printf("  %-18s %s%n", s.component().id(), line);
      }
      PrometheusClient prometheus = new PrometheusClient(stack.url(Component.PROMETHEUS));
      System.out.println("Prometheus targets:");
      try {
        for (PrometheusClient.Target t : prometheus.targets()) {
          System.out.printf("  %-18s %-40s %s%s%n", t.job(), t.instance(), t.health(),
              t.lastError().isEmpty() ? "" : "  (" + t.lastError() + ")");
        }
      } catch (IOException e) {
        System.out.println("  (unknown: " + e.getMessage() + ")");
      }
      AlertsCommand.printFiring(prometheus, System.out);
      NotificationLog log = new NotificationLog(stack.layout().notifications());
      try {
        AlertsCommand.printNotifications(log.last(5), log, System.out);
      } catch (IllegalStateException e) {
        System.out.println("  (" + e.getMessage() + ")");
      }
      return allReady ? 0 : 1;
    }
  }
}
