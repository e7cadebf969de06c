package dev.vigil.stack;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.PrometheusTool;
import dev.vigil.stack.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * vigil's local stack without Docker: renders the configs of {@code deploy/} for a {@link
 * StackProfile}, plans every {@link Component} ({@link LaunchPlan}), records the plan ({@link
 * StackState}), starts each component as a background process and waits until it is ready ({@link
 * Supervisor}), and stops them.
 *
 * <p>Programs are looked up on PATH ({@link PrometheusTool}). Nothing is installed from here: when
 * one is missing, {@link #up} starts what it can and {@link UpResult#missing()} says what to
 * install.
 */
public final class LocalStack {

  /** How long {@link #up} waits for a freshly started Prometheus to scrape each target once. */
  static final Duration FIRST_SCRAPE_TIMEOUT = Duration.ofSeconds(60);

  private final StackLayout layout;
  private final Supervisor supervisor;
  private final StackStateFile stateFile;

  /**
   * A local stack keeping its state in a layout.
   *
   * @param layout where pid files, logs, rendered configs and data live
   */
  public LocalStack(StackLayout layout) {
    this.layout = layout;
    this.supervisor = new Supervisor(layout);
    this.stateFile = new StackStateFile(layout.stateFile());
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
   * @param missing components not started because their program was not found on PATH
   */
  public record UpResult(
      List<Component> started, List<Component> alreadyRunning, List<Component> missing) {

    /**
     * The command that installs the missing programs, or empty when nothing is missing.
     *
     * @return e.g. {@code sudo apt-get install prometheus prometheus-alertmanager}
     */
    public String installCommand() {
      if (missing.isEmpty()) {
        return "";
      }
      return "sudo apt-get install "
          + missing.stream()
              .flatMap(c -> c.tool().stream())
              .map(PrometheusTool::debianPackage)
              .distinct()
              .collect(Collectors.joining(" "));
    }
  }

  /**
   * Renders the configs and starts every component not yet running, then waits until each is ready
   * and, when it started Prometheus, until Prometheus has scraped each target once.
   *
   * @param deployDir the repository's {@code deploy/} directory
   * @param profile ports and timing
   * @param commands command lines of vigil's Java processes; without a trace backend the services
   *     export no spans
   * @param progress receives one line per component started or found running
   * @return what was started, already running, and missing
   * @throws StackStartException when a component exits or is not ready in time (names it, with its
   *     log tail) or its port is taken by another process
   * @throws IllegalStateException when a stack with another profile (other ports) still runs here
   */
  public UpResult up(
      Path deployDir, StackProfile profile, ServiceCommands commands, Consumer<String> progress) {
    Optional<StackState> running =
        state()
            .filter(s -> !s.profile().equals(profile))
            .filter(
                s -> Arrays.stream(Component.values()).anyMatch(c -> supervisor.livePid(c) > 0));
    if (running.isPresent()) {
      throw new IllegalStateException(
          "a stack with profile '"
              + running.get().profile().name()
              + "' and other ports is running from "
              + layout.root()
              + "; stop it first with ./vigil down");
    }
    ConfigRenderer renderer =
        new ConfigRenderer(deployDir.toAbsolutePath(), profile, layout.configDir());
    renderer.renderPrometheus();
    renderer.renderAlertmanager();
    LaunchPlan.Launches plan = new LaunchPlan(profile, layout, renderer, commands).launches();
    stateFile.write(new StackState(profile, plan.launches()));
    boolean servicesRunning =
        supervisor.livePid(Component.CATALOG) > 0 || supervisor.livePid(Component.PAYMENTS) > 0;
    if (!servicesRunning || !Files.exists(layout.adminToken())) {
      // a fresh token per up; services still running keep the token they were started with
      StackAdmin.writeToken(layout);
    }

    List<Component> started = new ArrayList<>();
    List<Component> alreadyRunning = new ArrayList<>();
    // Two waves: everything Prometheus scrapes or notifies starts together; Prometheus starts once
    // they are
    // ready, so that its first scrapes find every target up (no ServiceDown while the catalog
    // boots).
    List<Launch> scraped =
        plan.launches().stream().filter(l -> l.component() != Component.PROMETHEUS).toList();
    List<Launch> scraper =
        plan.launches().stream().filter(l -> l.component() == Component.PROMETHEUS).toList();
    for (List<Launch> wave : List.of(scraped, scraper)) {
      Map<Launch, ServiceProcess> processes = new LinkedHashMap<>();
      for (Launch launch : wave) {
        long pid = supervisor.livePid(launch.component());
        if (pid > 0) {
          alreadyRunning.add(launch.component());
          progress.accept(launch.component().id() + ": already running (pid " + pid + ")");
          continue;
        }
        processes.put(launch, supervisor.spawn(launch));
        started.add(launch.component());
      }
      for (Map.Entry<Launch, ServiceProcess> e : processes.entrySet()) {
        supervisor.awaitReady(e.getKey(), e.getValue());
        progress.accept(
            e.getKey().component().id()
                + ": ready at "
                + e.getKey().readiness()
                + " (pid "
                + e.getValue().process().pid()
                + ", log "
                + layout.logFile(e.getKey().component())
                + ")");
      }
    }
    if (started.contains(Component.PROMETHEUS)) {
      awaitFirstScrapes(progress);
    }
    return new UpResult(started, alreadyRunning, plan.missing());
  }

  /**
   * Waits until a freshly started Prometheus has scraped each of its targets once: it answers ready
   * before it hands its targets to the scrapers (about 5 s later, longer on a busy machine), and a
   * drill or query run in that gap sees no data (a drill started at once found no SLO budget
   * series). Gives up after {@link #FIRST_SCRAPE_TIMEOUT} with a line, not an error: a target that
   * does not answer is still scraped (health down).
   */
  private void awaitFirstScrapes(Consumer<String> progress) {
    PrometheusClient prometheus = new PrometheusClient(url(Component.PROMETHEUS));
    Instant deadline = Instant.now().plus(FIRST_SCRAPE_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      List<PrometheusClient.Target> targets;
      try {
        targets = prometheus.targets();
      } catch (IOException e) {
        targets = List.of();
      }
      if (!targets.isEmpty() && targets.stream().noneMatch(t -> t.health().equals("unknown"))) {
        progress.accept(
            "prometheus: scraped each of its "
                + targets.size()
                + " targets ("
                + targets.stream().filter(t -> t.health().equals("up")).count()
                + " up)");
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    progress.accept(
        "prometheus: not every target scraped after "
            + FIRST_SCRAPE_TIMEOUT.toSeconds()
            + " s; ./vigil status shows them");
  }

  /**
   * Starts one component again as recorded by the last {@link #up} (e.g. the catalog after a drill
   * stopped it), and waits until it is ready.
   *
   * @param component the component to start
   * @throws IllegalStateException when {@code up} never started this component
   * @throws StackStartException when it does not become ready
   */
  public void start(Component component) {
    Launch launch =
        state()
            .flatMap(s -> s.launch(component))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        component.id()
                            + " was not started by ./vigil up (see "
                            + layout.stateFile()
                            + "); run ./vigil up"));
    if (supervisor.livePid(component) > 0) {
      return;
    }
    supervisor.awaitReady(launch, supervisor.spawn(launch));
  }

  /**
   * Stops one component by its pid file: SIGTERM, then SIGKILL after {@link
   * ServiceProcess#STOP_GRACE}.
   *
   * @param component the component
   * @return the pid stopped, or 0 when it was not running
   */
  public long stop(Component component) {
    return supervisor.stop(component);
  }

  /**
   * Stops every component, Prometheus first and the receiver last, and deletes the services' jar
   * copies.
   *
   * @param progress receives one line per component stopped, and a line when the copies stay
   */
  public void down(Consumer<String> progress) {
    List<Component> order = new ArrayList<>(List.of(Component.values()));
    Collections.reverse(order);
    for (Component c : order) {
      long pid = stop(c);
      if (pid > 0) {
        progress.accept(c.id() + ": stopped (pid " + pid + ")");
      }
    }
    try (DirectoryStream<Path> copies =
        Files.newDirectoryStream(layout.jarCopies(), "vigil-*.jar")) {
      for (Path copy : copies) {
        Files.deleteIfExists(copy);
      }
    } catch (NoSuchFileException e) {
      // nothing was started from a copy
    } catch (IOException e) {
      progress.accept(
          "could not delete the jar copies in " + layout.jarCopies() + ": " + e.getMessage());
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
      URI readiness = LaunchPlan.readiness(profile, c);
      long pid = supervisor.livePid(c);
      out.add(
          new ComponentStatus(
              c, pid, pid > 0, pid > 0 && ServiceProcess.answers200(readiness), readiness));
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
    return stateFile.read();
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
    return LaunchPlan.url(profile(), component);
  }
}
