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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * vigil's local stack without Docker: renders the configs of {@code deploy/} for a {@link
 * StackProfile}, plans every replica of every {@link Component} of its {@link StackTopology}
 * ({@link LaunchPlan}), records the plan ({@link StackState}), starts each replica as a background
 * process and waits until it is ready ({@link Supervisor}), and stops them.
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
            .filter(s -> knownIds(s).stream().anyMatch(id -> supervisor.livePid(id) > 0));
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
    if (profile.topology() == StackTopology.HA) {
      renderer.renderHa();
    }
    LaunchPlan.Launches plan = new LaunchPlan(profile, layout, renderer, commands).launches();
    stateFile.write(new StackState(profile, plan.launches()));
    boolean servicesRunning =
        plan.launches().stream()
            .filter(l -> l.component() == Component.CATALOG || l.component() == Component.PAYMENTS)
            .anyMatch(l -> supervisor.livePid(l.id()) > 0);
    if (!servicesRunning || !Files.exists(layout.adminToken())) {
      // a fresh token per up; services still running keep the token they were started with
      StackAdmin.writeToken(layout);
    }

    List<Component> started = new ArrayList<>();
    List<Component> alreadyRunning = new ArrayList<>();
    // Four waves: the stores the services need (the ha topology's PostgreSQL and
    // VictoriaMetrics); everything that is scraped or notified; then the scrapers and HAProxy once
    // they are ready, so that the first scrapes find every target up (no ServiceDown while the
    // catalog boots) and HAProxy finds a healthy catalog; last, once the first scrapes are stored,
    // the ha topology's rule evaluators (started earlier, vmalert saw no `up` for the catalog and
    // paged ServiceDown through absent()).
    for (int wave = 0; wave <= 3; wave++) {
      if (wave == 3) {
        awaitFirstScrapes(plan.launches(), started, progress);
      }
      Map<Launch, ServiceProcess> processes = new LinkedHashMap<>();
      for (Launch launch : plan.launches()) {
        if (wave(launch.component()) != wave) {
          continue;
        }
        long pid = supervisor.livePid(launch.id());
        if (pid > 0) {
          alreadyRunning.add(launch.component());
          progress.accept(launch.id() + ": already running (pid " + pid + ")");
          continue;
        }
        if (launch.component() == Component.POSTGRES) {
          initPostgres();
        }
        processes.put(launch, supervisor.spawn(launch));
        started.add(launch.component());
      }
      for (Map.Entry<Launch, ServiceProcess> e : processes.entrySet()) {
        supervisor.awaitReady(e.getKey(), e.getValue());
        progress.accept(
            e.getKey().id()
                + ": ready at "
                + e.getKey().readiness()
                + " (pid "
                + e.getValue().process().pid()
                + ", log "
                + layout.logFile(e.getKey().id())
                + ")");
      }
    }
    return new UpResult(started, alreadyRunning, plan.missing());
  }

  /**
   * Waits until each scraper this call started has scraped its targets once and, in the ha
   * topology, until VictoriaMetrics answers an {@code up} series for each of them (remote write and
   * indexing take a moment more).
   */
  private void awaitFirstScrapes(
      List<Launch> launches, List<Component> started, Consumer<String> progress) {
    int targets = 0;
    boolean sharded = false;
    for (Launch launch : launches) {
      if ((launch.component() == Component.PROMETHEUS || launch.component() == Component.VMAGENT)
          && started.contains(launch.component())) {
        targets += awaitFirstScrapes(launch, progress);
        sharded |= launch.component() == Component.VMAGENT;
      }
    }
    if (sharded) {
      awaitStored(targets, progress);
    }
  }

  /** Waits until the query API has an {@code up} series for each of the scrapers' targets. */
  private void awaitStored(int targets, Consumer<String> progress) {
    PrometheusClient store = new PrometheusClient(url(Component.PROMETHEUS));
    String query = "count(up{job!~\"vmagent|vmalert\"})";
    Instant deadline = Instant.now().plus(FIRST_SCRAPE_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        List<PrometheusClient.Sample> count = store.vector(query, Instant.now());
        if (!count.isEmpty() && count.get(0).value() >= targets) {
          progress.accept(
              "victoria-metrics: stores the first scrape of each of the " + targets + " targets");
          return;
        }
      } catch (IOException e) {
        // not answering yet: try again
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    progress.accept(
        "victoria-metrics: not every target's first scrape stored after "
            + FIRST_SCRAPE_TIMEOUT.toSeconds()
            + " s; the rule evaluators start anyway");
  }

  /**
   * The start wave of a component: 0 for the stores the services need, 2 for the scrapers and the
   * load balancer, 3 for the ha topology's rule evaluators, 1 for everything else.
   */
  private static int wave(Component c) {
    return switch (c) {
      case POSTGRES, VICTORIA_METRICS -> 0;
      case PROMETHEUS, VMAGENT, HAPROXY -> 2;
      case VMALERT -> 3;
      default -> 1;
    };
  }

  /** Creates the ha topology's PostgreSQL cluster on its first start. */
  private void initPostgres() {
    try {
      PostgresBinaries.require().initIfMissing(layout.postgresData());
    } catch (IOException e) {
      throw new StackStartException(
          "postgres cannot start: creating its cluster in "
              + layout.postgresData()
              + " failed: "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackStartException("interrupted while creating the PostgreSQL cluster", e);
    }
  }

  /** The replica ids a state records, and every component's own id (pid files of any topology). */
  private static List<String> knownIds(StackState state) {
    List<String> ids = new ArrayList<>(state.launches().stream().map(Launch::id).toList());
    for (Component c : Component.values()) {
      if (!ids.contains(c.id())) {
        ids.add(c.id());
      }
    }
    return ids;
  }

  /**
   * Waits until a freshly started Prometheus (or vmagent) has scraped each of its targets once: it
   * answers ready before it hands its targets to the scrapers (about 5 s later, longer on a busy
   * machine), and a drill or query run in that gap sees no data (a drill started at once found no
   * SLO budget series). Gives up after {@link #FIRST_SCRAPE_TIMEOUT} with a line, not an error: a
   * target that does not answer is still scraped (health down).
   *
   * @return how many targets it scrapes, 0 when it gave up
   */
  private int awaitFirstScrapes(Launch scraper, Consumer<String> progress) {
    URI readiness = scraper.readiness();
    PrometheusClient prometheus =
        new PrometheusClient(
            URI.create(
                readiness.getScheme() + "://" + readiness.getHost() + ":" + readiness.getPort()));
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
            scraper.id()
                + ": scraped each of its "
                + targets.size()
                + " targets ("
                + targets.stream().filter(t -> t.health().equals("up")).count()
                + " up)");
        return targets.size();
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 0;
      }
    }
    progress.accept(
        scraper.id()
            + ": not every target scraped after "
            + FIRST_SCRAPE_TIMEOUT.toSeconds()
            + " s; ./vigil status shows them");
    return 0;
  }

  /**
   * Starts every replica of one component again as recorded by the last {@link #up} (e.g. the
   * catalog after a drill stopped it), all at once, and waits until each is ready (one after the
   * other, the ha topology's two catalogs took twice as long to come back after service-down).
   *
   * @param component the component to start
   * @throws IllegalStateException when {@code up} never started this component
   * @throws StackStartException when it does not become ready
   */
  public void start(Component component) {
    List<Launch> launches =
        state()
            .map(s -> s.launches().stream().filter(l -> l.component() == component).toList())
            .orElse(List.of());
    if (launches.isEmpty()) {
      throw new IllegalStateException(
          component.id()
              + " was not started by ./vigil up (see "
              + layout.stateFile()
              + "); run ./vigil up");
    }
    Map<Launch, ServiceProcess> spawned = new LinkedHashMap<>();
    for (Launch launch : launches) {
      if (supervisor.livePid(launch.id()) <= 0) {
        spawned.put(launch, supervisor.spawn(launch));
      }
    }
    spawned.forEach(supervisor::awaitReady);
  }

  /**
   * Starts one replica again as recorded by the last {@link #up} (e.g. {@code alertmanager-1} after
   * a test killed it), and waits until it is ready.
   *
   * @param id the replica's id ({@link Replica#id()})
   * @throws IllegalStateException when {@code up} never started it
   * @throws StackStartException when it does not become ready
   */
  public void start(String id) {
    Launch launch =
        state()
            .flatMap(s -> s.launches().stream().filter(l -> l.id().equals(id)).findFirst())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        id
                            + " was not started by ./vigil up (see "
                            + layout.stateFile()
                            + "); run ./vigil up"));
    if (supervisor.livePid(id) > 0) {
      return;
    }
    supervisor.awaitReady(launch, supervisor.spawn(launch));
  }

  /**
   * Stops every replica of one component by its pid file: SIGTERM, then SIGKILL after {@link
   * ServiceProcess#STOP_GRACE}.
   *
   * @param component the component
   * @return the pid stopped (the last one, for several replicas), or 0 when none was running
   */
  public long stop(Component component) {
    long stopped = 0;
    for (String id : ids(component)) {
      long pid = supervisor.stop(id);
      stopped = pid > 0 ? pid : stopped;
    }
    return stopped;
  }

  /**
   * Stops one replica by its pid file: SIGTERM, then SIGKILL after {@link
   * ServiceProcess#STOP_GRACE}.
   *
   * @param id the replica's id, e.g. {@code alertmanager-1}
   * @return the pid stopped, or 0 when it was not running
   */
  public long stop(String id) {
    return supervisor.stop(id);
  }

  /**
   * The pid of a running replica.
   *
   * @param id the replica's id, e.g. {@code catalog-2}
   * @return its pid from its pid file when that process is alive, else 0
   */
  public long pid(String id) {
    return supervisor.livePid(id);
  }

  /** The ids of a component's replicas in the recorded state, or its own id without a record. */
  private List<String> ids(Component component) {
    List<String> ids =
        state().stream()
            .flatMap(s -> s.launches().stream())
            .filter(l -> l.component() == component)
            .map(Launch::id)
            .toList();
    return ids.isEmpty() ? List.of(component.id()) : ids;
  }

  /**
   * Stops every component, Prometheus first and the receiver last, and deletes the services' jar
   * copies.
   *
   * @param progress receives one line per component stopped, and a line when the copies stay
   */
  public void down(Consumer<String> progress) {
    // the recorded launches in reverse start order, then any component's own pid file
    List<String> order =
        new ArrayList<>(
            state().map(StackState::launches).orElse(List.of()).stream().map(Launch::id).toList());
    Collections.reverse(order);
    List<Component> components = new ArrayList<>(List.of(Component.values()));
    Collections.reverse(components);
    for (Component c : components) {
      if (!order.contains(c.id())) {
        order.add(c.id());
      }
    }
    for (String id : order) {
      long pid = supervisor.stop(id);
      if (pid > 0) {
        progress.accept(id + ": stopped (pid " + pid + ")");
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
    Optional<StackState> state = state();
    StackProfile profile = profile();
    List<ComponentStatus> out = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    for (Launch l : state.map(StackState::launches).orElse(List.of())) {
      out.add(status(l.component(), l.id(), l.readiness()));
      seen.add(l.id());
    }
    for (Component c : Component.values()) {
      if (!seen.contains(c.id()) && profile.topology().replicas(c) == 1) {
        out.add(status(c, c.id(), LaunchPlan.readiness(profile, c)));
      }
    }
    return out;
  }

  private ComponentStatus status(Component c, String id, URI readiness) {
    long pid = supervisor.livePid(id);
    return new ComponentStatus(
        c, id, pid, pid > 0, pid > 0 && ServiceProcess.ready(readiness), readiness);
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
   * The base URL of a component, e.g. {@code http://127.0.0.1:9090} for Prometheus: where clients
   * reach it (in the ha topology the catalog's is HAProxy's, Prometheus' API is VictoriaMetrics',
   * Alertmanager's is the first replica's).
   *
   * @param component the component
   * @return its URL under the recorded profile
   */
  public URI url(Component component) {
    return LaunchPlan.url(profile(), component);
  }
}
