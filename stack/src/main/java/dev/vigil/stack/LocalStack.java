package dev.vigil.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place that knows how to run vigil's local stack without Docker: renders the configs of {@code
 * deploy/} for a {@link StackProfile}, starts every {@link Component} as a detached background process
 * (pid file under {@code .vigil/run/}, log under {@code .vigil/logs/}), waits until each is ready, and
 * stops them by pid (SIGTERM, then SIGKILL after a grace period).
 *
 * <p>Binaries are looked up on PATH (Debian's names first). Nothing is installed from here: when a
 * binary is missing, {@link #up} starts what it can and {@link UpResult#missing()} says what to install.
 */
public final class LocalStack {

  /** How long a component may take to answer its readiness URL after start (the catalog: a JVM). */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** How long a component may take to exit after SIGTERM before it gets SIGKILL. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(15);

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final StackLayout layout;

  /**
   * A local stack keeping its state in a layout.
   *
   * @param layout where pid files, logs, rendered configs and data live
   */
  public LocalStack(StackLayout layout) {
    this.layout = layout;
  }

  /**
   * The layout of this stack.
   *
   * @return where the state lives
   */
  public StackLayout layout() {
    return layout;
  }

  /**
   * What {@link #up} did.
   *
   * @param started components started by this call
   * @param alreadyRunning components whose pid file named a live process (left alone)
   * @param missing components not started because no binary was found on PATH
   */
  public record UpResult(List<Component> started, List<Component> alreadyRunning, List<Component> missing) {

    /**
     * The command that installs the missing binaries, or empty when nothing is missing.
     *
     * @return e.g. {@code sudo apt-get install prometheus prometheus-alertmanager}
     */
    public String installCommand() {
      if (missing.isEmpty()) {
        return "";
      }
      return "sudo apt-get install " + missing.stream().map(Component::debianPackage).distinct()
          .collect(Collectors.joining(" "));
    }
  }

  /**
   * The command line that runs a main class in a new JVM with this JVM's Java and class path (absolute),
   * small heap and quick start-up flags. Used for vigil's own components (receiver, catalog).
   *
   * @param mainClass fully qualified main class name
   * @param args arguments after the class name
   * @return the command line
   */
  public static List<String> javaMain(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> Path.of(p).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /**
   * Renders the configs and starts every component not yet running, then waits until each is ready.
   *
   * @param deployDir the repository's {@code deploy/} directory
   * @param profile ports and timing
   * @param commands command lines of vigil's Java processes; without a trace backend the services
   *     export no spans
   * @param out where progress lines go
   * @return what was started, already running, and missing
   * @throws StackStartException when a component exits or is not ready in time (names it, with its log
   *     tail) or its port is taken by another process
   * @throws IllegalStateException when a stack with another profile (other ports) still runs here
   */
  public UpResult up(Path deployDir, StackProfile profile, ServiceCommands commands, PrintStream out) {
    Optional<StackState> running = state().filter(s -> !s.profile().equals(profile))
        .filter(s -> Arrays.stream(Component.values()).anyMatch(c -> livePid(c) > 0));
    if (running.isPresent()) {
      throw new IllegalStateException("a stack with profile '" + running.get().profile().name()
          + "' and other ports is running from " + layout.root() + "; stop it first with ./vigil down");
    }
    ConfigRenderer renderer = new ConfigRenderer(deployDir.toAbsolutePath(), profile, layout.configDir());
    renderer.renderPrometheus();
    renderer.renderAlertmanager();
    StackPorts ports = profile.ports();
    List<Launch> launches = new ArrayList<>();
    List<Component> missing = new ArrayList<>();
    for (Component c : Component.values()) {
      String address = "127.0.0.1:" + ports.of(c);
      URI readiness = URI.create("http://" + address + c.readinessPath());
      Optional<Path> binary = binary(c);
      if (!c.binaries().isEmpty() && binary.isEmpty()) {
        missing.add(c);
        continue;
      }
      boolean tracing = !commands.traceBackend().isEmpty();
      if (c == Component.TRACE_BACKEND && !tracing) {
        continue;
      }
      List<String> command = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      switch (c) {
        case RECEIVER -> {
          command.addAll(commands.receiver());
          command.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(ports.receiver()),
              "--log", layout.notifications().toString()));
        }
        case TRACE_BACKEND -> {
          command.addAll(commands.traceBackend());
          command.addAll(List.of("--armeria.ports[0].ip=127.0.0.1",
              "--armeria.ports[0].port=" + ports.traceBackend()));
        }
        case PAYMENTS -> {
          command.addAll(commands.payments());
          env.put("VIGIL_HOST", "127.0.0.1");
          env.put("VIGIL_PAYMENTS_PORT", Integer.toString(ports.payments()));
          env.putAll(traceExport(tracing, ports));
        }
        case CATALOG -> {
          command.addAll(commands.catalog());
          env.put("VIGIL_HOST", "127.0.0.1");
          env.put("VIGIL_PORT", Integer.toString(ports.catalog()));
          env.put("VIGIL_DATA_DIR", layout.root().toString());
          env.put("VIGIL_PAYMENTS_URL", "http://127.0.0.1:" + ports.payments());
          env.putAll(traceExport(tracing, ports));
        }
        case NODE_EXPORTER -> command.addAll(List.of(binary.orElseThrow().toString(),
            "--web.listen-address=" + address));
        case BLACKBOX_EXPORTER -> command.addAll(List.of(binary.orElseThrow().toString(),
            "--config.file=" + renderer.blackboxConfig().toAbsolutePath(),
            "--web.listen-address=" + address));
        case ALERTMANAGER -> command.addAll(List.of(binary.orElseThrow().toString(),
            "--config.file=" + renderer.alertmanagerConfig(),
            "--storage.path=" + layout.alertmanagerData(),
            "--web.listen-address=" + address,
            "--cluster.listen-address="));
        case PROMETHEUS -> {
          command.addAll(List.of(binary.orElseThrow().toString(),
              "--config.file=" + renderer.prometheusConfig(),
              "--storage.tsdb.path=" + layout.prometheusData(),
              "--web.listen-address=" + address,
              "--enable-feature=exemplar-storage",
              "--web.enable-lifecycle"));
          if (profile.evaluationIntervalSeconds() > 0) {
            // Prometheus re-sends firing alerts every resend-delay (default 1m); an alert sent before
            // Alertmanager was discovered would otherwise reach it only a minute later.
            command.add("--rules.alert.resend-delay=" + 2 * profile.evaluationIntervalSeconds() + "s");
          }
        }
      }
      launches.add(new Launch(c, List.copyOf(command), Map.copyOf(env), readiness));
    }
    writeState(new StackState(profile, launches));

    List<Component> started = new ArrayList<>();
    List<Component> alreadyRunning = new ArrayList<>();
    // Two waves: everything Prometheus scrapes or notifies starts together; Prometheus starts once they are
    // ready, so that its first scrapes find every target up (no ServiceDown while the catalog boots).
    List<Launch> scraped = launches.stream().filter(l -> l.component() != Component.PROMETHEUS).toList();
    List<Launch> scraper = launches.stream().filter(l -> l.component() == Component.PROMETHEUS).toList();
    for (List<Launch> wave : List.of(scraped, scraper)) {
      Map<Launch, Process> processes = new LinkedHashMap<>();
      for (Launch launch : wave) {
        long pid = livePid(launch.component());
        if (pid > 0) {
          alreadyRunning.add(launch.component());
          out.println(launch.component().id() + ": already running (pid " + pid + ")");
          continue;
        }
        processes.put(launch, spawn(launch));
        started.add(launch.component());
      }
      for (Map.Entry<Launch, Process> e : processes.entrySet()) {
        awaitReady(e.getKey(), e.getValue());
        out.println(e.getKey().component().id() + ": ready at " + e.getKey().readiness()
            + " (pid " + e.getValue().pid() + ", log " + layout.logFile(e.getKey().component()) + ")");
      }
    }
    return new UpResult(started, alreadyRunning, missing);
  }

  /**
   * The OpenTelemetry variables that send a service's spans to the local trace backend (Zipkin's v2 API,
   * through vigil's exporter; see docs/tracing.md), or none when the stack runs without one.
   */
  private static Map<String, String> traceExport(boolean tracing, StackPorts ports) {
    if (!tracing) {
      return Map.of();
    }
    return Map.of(
        "OTEL_TRACES_EXPORTER", "zipkin",
        "OTEL_EXPORTER_ZIPKIN_ENDPOINT", "http://127.0.0.1:" + ports.traceBackend() + "/api/v2/spans");
  }

  /**
   * Starts one component again as recorded by the last {@link #up} (e.g. the catalog after a drill stopped
   * it), and waits until it is ready.
   *
   * @param component the component to start
   * @throws IllegalStateException when {@code up} never started this component
   * @throws StackStartException when it does not become ready
   */
  public void start(Component component) {
    Launch launch = state().flatMap(s -> s.launch(component)).orElseThrow(() -> new IllegalStateException(
        component.id() + " was not started by ./vigil up (see " + layout.stateFile() + "); run ./vigil up"));
    if (livePid(component) > 0) {
      return;
    }
    awaitReady(launch, spawn(launch));
  }

  /**
   * Stops one component by its pid file: SIGTERM, then SIGKILL after {@link #STOP_GRACE}.
   *
   * @param component the component
   * @return the pid stopped, or 0 when it was not running
   */
  public long stop(Component component) {
    long pid = livePid(component);
    if (pid > 0) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroy();
        try {
          p.onExit().get(STOP_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          p.destroyForcibly();
          p.onExit().join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("waiting for pid " + pid + " failed", e);
        }
      });
    }
    deleteQuietly(layout.pidFile(component));
    return pid;
  }

  /**
   * Stops every component, Prometheus first and the receiver last.
   *
   * @param out one line per component stopped
   */
  public void down(PrintStream out) {
    List<Component> order = new ArrayList<>(List.of(Component.values()));
    java.util.Collections.reverse(order);
    for (Component c : order) {
      long pid = stop(c);
      if (pid > 0) {
        out.println(c.id() + ": stopped (pid " + pid + ")");
      }
    }
    try (var copies = Files.newDirectoryStream(layout.jarCopies(), "vigil-*.jar")) {
      for (Path copy : copies) {
        Files.deleteIfExists(copy);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was started from a copy
    } catch (IOException e) {
      out.println("could not delete the jar copies in " + layout.jarCopies() + ": " + e.getMessage());
    }
  }

  /**
   * Whether each component runs and is ready.
   *
   * @return one status per component, in start order
   */
  public List<ComponentStatus> status() {
    StackProfile profile = profile();
    List<ComponentStatus> out = new ArrayList<>();
    for (Component c : Component.values()) {
      URI readiness = URI.create("http://127.0.0.1:" + profile.ports().of(c) + c.readinessPath());
      long pid = livePid(c);
      out.add(new ComponentStatus(c, pid, pid > 0, pid > 0 && answers200(readiness), readiness));
    }
    return out;
  }

  /**
   * What the last {@link #up} recorded.
   *
   * @return the state, or empty before the first {@code up}
   * @throws IllegalStateException when the state file is unreadable
   */
  public Optional<StackState> state() {
    Path file = layout.stateFile();
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), StackState.class));
    } catch (IOException e) {
      throw new IllegalStateException(file + " is unreadable (" + e.getMessage()
          + "); run ./vigil down and ./vigil up to record it again", e);
    }
  }

  /**
   * The profile of the running stack, or the default profile when none was recorded.
   *
   * @return the profile
   */
  public StackProfile profile() {
    return state().map(StackState::profile).orElse(StackProfile.defaults());
  }

  /**
   * The base URL of a component, e.g. {@code http://127.0.0.1:9090} for Prometheus.
   *
   * @param component the component
   * @return its URL under the recorded profile
   */
  public URI url(Component component) {
    return URI.create("http://127.0.0.1:" + profile().ports().of(component));
  }

  /**
   * Looks a component's binary up on PATH.
   *
   * @param component the component
   * @return the first executable found, or empty (always empty for vigil's own Java components)
   */
  public static Optional<Path> binary(Component component) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String name : component.binaries()) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  private Process spawn(Launch launch) {
    Component c = launch.component();
    int port = launch.readiness().getPort();
    if (!portFree(port)) {
      throw new StackStartException(c.id() + " cannot start: port " + port + " on 127.0.0.1 is taken by a"
          + " process vigil did not start (find it with: ss -ltnp 'sport = :" + port + "'); stop it and retry");
    }
    try {
      Files.createDirectories(layout.logFile(c).getParent());
      Files.createDirectories(layout.pidFile(c).getParent());
      List<String> command = new ArrayList<>();
      // setsid: a session of its own, so closing the terminal that ran `vigil up` does not stop the stack.
      Path setsid = Path.of("/usr/bin/setsid");
      if (Files.isExecutable(setsid)) {
        command.add(setsid.toString());
      }
      command.addAll(launch.command());
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(layout.root().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logFile(c).toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(launch.environment());
      Files.writeString(layout.logFile(c), "--- " + Instant.now() + " starting: " + String.join(" ", command)
          + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Process process = builder.start();
      Files.writeString(layout.pidFile(c), process.pid() + "\n");
      return process;
    } catch (IOException e) {
      throw new StackStartException(c.id() + " cannot start (" + e.getMessage() + "): "
          + String.join(" ", launch.command()), e);
    }
  }

  private void awaitReady(Launch launch, Process process) {
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        deleteQuietly(layout.pidFile(launch.component()));
        throw new StackStartException(launch.component().id() + " exited with code " + process.exitValue()
            + " before it was ready at " + launch.readiness() + ". Last lines of "
            + layout.logFile(launch.component()) + ":\n" + logTail(launch.component()));
      }
      if (answers200(launch.readiness())) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StackStartException("interrupted while waiting for " + launch.component().id(), e);
      }
    }
    throw new StackStartException(launch.component().id() + " (pid " + process.pid() + ") is not ready at "
        + launch.readiness() + " after " + READY_TIMEOUT.toSeconds() + " s; it keeps running (./vigil down"
        + " stops it). Last lines of " + layout.logFile(launch.component()) + ":\n" + logTail(launch.component()));
  }

  private String logTail(Component c) {
    try {
      List<String> lines = Files.readAllLines(layout.logFile(c), StandardCharsets.UTF_8);
      return lines.subList(Math.max(0, lines.size() - 20), lines.size()).stream()
          .map(l -> "  | " + l).collect(Collectors.joining("\n"));
    } catch (IOException | UncheckedIOException e) {
      return "  (log unreadable: " + e.getMessage() + ")";
    }
  }

  /** The pid in the component's pid file when that process is alive, else 0 (and a stale file is removed). */
  private long livePid(Component c) {
    Path file = layout.pidFile(c);
    if (!Files.exists(file)) {
      return 0;
    }
    try {
      long pid = Long.parseLong(Files.readString(file).strip());
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        return pid;
      }
    } catch (IOException | NumberFormatException e) {
      // unreadable pid file: treated as stale below
    }
    deleteQuietly(file);
    return 0;
  }

  private static boolean answers200(URI uri) {
    try {
      HttpResponse<Void> response = HTTP.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean portFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void writeState(StackState state) {
    try {
      Files.createDirectories(layout.stateFile().getParent());
      JSON.writeValue(layout.stateFile().toFile(), state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + layout.stateFile() + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a pid file we cannot delete is found stale next time
    }
  }
}
