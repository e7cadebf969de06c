package dev.vigil.console;

import dev.vigil.prometheus.StateDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil console}: serves the web console in the foreground until stopped (SIGTERM or
 * Ctrl-C). {@code vigil up} starts it in the background on 127.0.0.1:3000. Exit 1 when the SLO
 * specs have problems or the port is taken.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description =
        "Serve the read-only web console: services, SLOs and error budgets, dashboards, alerts,"
            + " notifications, error groups and saved profiles. Runs until stopped.")
public final class ConsoleCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleCommand.class);

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "3000",
      description = "TCP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--prometheus",
      defaultValue = "http://127.0.0.1:9090",
      paramLabel = "URL",
      description = "Prometheus base URL (default: ${DEFAULT-VALUE})")
  URI prometheus;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "The stack's state directory: admin token (read server-side, never sent to the browser)"
              + " and saved profiles (default: the parent of --logs when given, as the stack lays"
              + " out its state; else $VIGIL_DATA_DIR; else .vigil)")
  Path stateDir;

  @Option(
      names = "--admin",
      split = ",",
      paramLabel = "SERVICE=URL",
      description =
          "The services' admin APIs the errors page reads, comma-separated (default:"
              + " catalog=http://127.0.0.1:8010,payments=http://127.0.0.1:8011)")
  Map<String, URI> adminApis = new LinkedHashMap<>();

  @Option(
      names = "--notifications",
      paramLabel = "FILE",
      description =
          "The local alert receiver's JSONL file (default: <state dir>/alerts/notifications.jsonl)")
  Path notifications;

  @Option(
      names = "--zipkin",
      defaultValue = "http://127.0.0.1:9411",
      paramLabel = "URL",
      description = "Zipkin UI base URL exemplars link to (default: ${DEFAULT-VALUE})")
  URI zipkin;

  @Option(
      names = "--logs",
      paramLabel = "DIR",
      description =
          "The stack's log directory, read for 'logs of this trace' (default: <state dir>/logs)")
  Path logs;

  @Option(
      names = "--runbooks",
      defaultValue = "docs/runbooks",
      paramLabel = "DIR",
      description = "Runbooks shown on the alerts page, <Alert>.md (default: ${DEFAULT-VALUE})")
  Path runbooks;

  @Option(
      names = "--slos",
      paramLabel = "SPEC",
      split = ",",
      description = "SLO spec files or directories, comma-separated (default: slos)")
  List<Path> specs = new ArrayList<>(List.of(Path.of("slos")));

  /**
   * Serves until the JVM is asked to stop.
   *
   * @return 0 after a stop request, 1 when the console cannot start
   */
  @Override
  public Integer call() throws InterruptedException {
    ConsoleServer console;
    try {
      ConsoleConfig.Builder config =
          ConsoleConfig.builder()
              .host(host)
              .port(port)
              .prometheus(prometheus)
              .specs(specs)
              .notifications(notifications)
              .zipkin(zipkin)
              .logs(logs)
              .runbooks(runbooks)
              .stateDir(stateDir());
      if (!adminApis.isEmpty()) {
        config.adminApis(adminApis);
      }
      console = ConsoleServer.start(config.build());
    } catch (IllegalArgumentException | io.javalin.util.JavalinBindException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.close();
                  stopped.countDown();
                }));
    LOG.atInfo()
        .addKeyValue("url", "http://" + host + ":" + console.port() + "/")
        .log(
            "console listening on http://{}:{}/ (Prometheus {})", host, console.port(), prometheus);
    stopped.await();
    return 0;
  }

  /**
   * The state directory: as given; else the parent of the log directory ({@code vigil up} passes
   * {@code --logs <state>/logs} and starts the console inside the state directory); else {@code
   * $VIGIL_DATA_DIR}; else {@code .vigil}.
   */
  Path stateDir() {
    if (stateDir != null) {
      return stateDir;
    }
    if (logs != null && logs.toAbsolutePath().getParent() != null) {
      return logs.toAbsolutePath().getParent();
    }
    return StateDirectory.fromEnvironment();
  }

  /**
   * Runs the console as its own process; tests start it this way with their class path.
   *
   * @param args the options of this command, e.g. {@code --port 3000 --prometheus
   *     http://127.0.0.1:9090}
   */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new ConsoleCommand()).execute(args));
  }
}
