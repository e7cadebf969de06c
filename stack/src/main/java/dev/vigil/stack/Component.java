package dev.vigil.stack;

import dev.vigil.prometheus.PrometheusTool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The processes of the local stack, in start order (the alert receiver, the trace backend, the
 * stores, the services and the console first, the scrapers and rule evaluators last so that their
 * first scrape finds every target up), each with its launch plan as data: the program (a tool from
 * PATH, PostgreSQL's server, or one of vigil's Java command lines), the arguments and environment
 * each replica gets under a {@link LaunchPlan}, and its readiness path. How many replicas of each
 * run is the {@link StackTopology}'s: the ha-only components (PostgreSQL, HAProxy, VictoriaMetrics,
 * vmagent, vmalert) have none in the single node, Prometheus has none in the ha topology.
 */
public enum Component {
  /** vigil's local alert receiver (Alertmanager webhooks to JSONL), a Java process. */
  RECEIVER(
      "receiver",
      "/readyz",
      Program.java(ServiceCommands::receiver),
      (plan, replica) ->
          List.of(
              "--host",
              LaunchPlan.HOST,
              "--port",
              Integer.toString(plan.ports().receiver()),
              "--log",
              plan.layout().notifications().toString()),
      (plan, replica) -> Map.of()),
  /** The trace backend with its web UI: Zipkin server's executable jar, a Java process. */
  TRACE_BACKEND(
      "zipkin",
      "/health",
      Program.java(ServiceCommands::traceBackend),
      (plan, replica) ->
          List.of(
              "--armeria.ports[0].ip=" + LaunchPlan.HOST,
              "--armeria.ports[0].port=" + plan.ports().traceBackend()),
      (plan, replica) -> Map.of()),
  /**
   * The catalogs' shared database in the ha topology: a PostgreSQL server in {@code
   * <state>/postgres}, trust authentication on loopback.
   */
  POSTGRES(
      "postgres",
      "",
      Program.postgres(),
      (plan, replica) ->
          List.of(
              "-D",
              plan.layout().postgresData().toString(),
              "-p",
              Integer.toString(plan.ports().more("postgres")),
              "-h",
              LaunchPlan.HOST,
              "-k",
              plan.layout().postgresData().toString(),
              "-c",
              "max_connections=100"),
      (plan, replica) -> Map.of()),
  /**
   * The global store of the ha topology: VictoriaMetrics single-node, which takes the scrapers'
   * remote write, serves the Prometheus query API (on the Prometheus API port), and scrapes the
   * scrapers and rule evaluators itself, so that a dead scraper is seen ({@code ScraperDown}).
   */
  VICTORIA_METRICS(
      "victoria-metrics",
      "/health",
      Program.tool(PrometheusTool.VICTORIA_METRICS),
      (plan, replica) ->
          concat(
              List.of(
                  "-httpListenAddr=" + LaunchPlan.HOST + ":" + plan.ports().prometheus(),
                  "-storageDataPath=" + plan.layout().victoriaMetricsData(),
                  "-retentionPeriod=31d",
                  "-promscrape.config=" + plan.configs().victoriaMetricsScrapeConfig(),
                  // both vmalert replicas write the same recorded samples at the same aligned times
                  "-dedup.minScrapeInterval=1ms",
                  // the alerting API (/api/v1/alerts, /api/v1/rules) of vmalert-1, for the console
                  // and vigil status
                  "-vmalert.proxyURL=" + plan.firstVmalert(),
                  // data visible to the next evaluation at once, as Prometheus' head shows it: the
                  // default hides the last 30 s from queries near now, and each level of recorded
                  // series an alert reads through waited that long again (at real timing vmalert
                  // paged SloBurnRatePage 167 s after a twin Prometheus, docs/scaling.md)
                  "-search.latencyOffset=0s"),
              plan.profile().shortened() ? List.of("-search.disableCache") : List.of()),
      (plan, replica) -> Map.of()),
  /** The payment provider the catalog calls for orders, a Java process ({@code vigil payments}). */
  PAYMENTS(
      "payments",
      "/readyz",
      Program.java(ServiceCommands::payments),
      (plan, replica) -> List.of(),
      (plan, replica) ->
          plan.withTraceExport(
              Map.of(
                  "VIGIL_HOST",
                  LaunchPlan.HOST,
                  "VIGIL_PAYMENTS_PORT",
                  Integer.toString(plan.ports().payments()),
                  // its profiles go to <state>/profiles like the catalog's (not <state>/.vigil/...)
                  "VIGIL_DATA_DIR",
                  plan.layout().root().toString(),
                  "VIGIL_ADMIN_PORT",
                  Integer.toString(plan.ports().paymentsAdmin())))),
  /**
   * The reference service, a Java process ({@code vigil catalog}); in the ha topology two replicas
   * on their own ports and admin ports, on the stack's PostgreSQL.
   */
  CATALOG(
      "catalog",
      "/readyz",
      Program.java(ServiceCommands::catalog),
      (plan, replica) -> List.of(),
      (plan, replica) -> {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("VIGIL_HOST", LaunchPlan.HOST);
        env.put("VIGIL_PORT", Integer.toString(plan.ports().of(replica)));
        env.put("VIGIL_DATA_DIR", plan.layout().root().toString());
        env.put("VIGIL_PAYMENTS_URL", "http://" + LaunchPlan.HOST + ":" + plan.ports().payments());
        env.put("VIGIL_ADMIN_PORT", Integer.toString(plan.ports().catalogAdmin(replica)));
        if (plan.profile().topology() == StackTopology.HA) {
          env.put(
              "VIGIL_DB_URL",
              "jdbc:postgresql://"
                  + LaunchPlan.HOST
                  + ":"
                  + plan.ports().more("postgres")
                  + "/postgres");
          env.put("VIGIL_DB_USER", "postgres");
        }
        return plan.withTraceExport(env);
      }),
  /**
   * The catalog replicas' load balancer in the ha topology: HAProxy on the catalog's port, routing
   * to the replicas that answer their {@code /readyz} health check.
   */
  HAPROXY(
      "haproxy",
      "/readyz",
      Program.tool(new PrometheusTool(List.of("haproxy"), "haproxy")),
      (plan, replica) -> List.of("-db", "-f", plan.configs().haproxyConfig().toString()),
      (plan, replica) -> Map.of()),
  /** Host metrics (CPU, memory, disk). */
  NODE_EXPORTER(
      "node_exporter",
      "/metrics",
      Program.tool(PrometheusTool.NODE_EXPORTER),
      (plan, replica) ->
          List.of("--web.listen-address=" + LaunchPlan.HOST + ":" + plan.ports().nodeExporter()),
      (plan, replica) -> Map.of()),
  /** Black-box probes of the catalog's /healthz. */
  BLACKBOX_EXPORTER(
      "blackbox_exporter",
      "/metrics",
      Program.tool(PrometheusTool.BLACKBOX_EXPORTER),
      (plan, replica) ->
          List.of(
              "--config.file=" + plan.configs().blackboxConfig().toAbsolutePath(),
              "--web.listen-address=" + LaunchPlan.HOST + ":" + plan.ports().blackboxExporter()),
      (plan, replica) -> Map.of()),
  /**
   * Routes, groups and inhibits alerts, then notifies receivers; in the ha topology two replicas
   * that gossip on loopback, so that one notification leaves per alert group.
   */
  ALERTMANAGER(
      "alertmanager",
      "/-/ready",
      Program.tool(PrometheusTool.ALERTMANAGER),
      (plan, replica) ->
          concat(
              List.of(
                  "--config.file=" + plan.configs().alertmanagerConfig(),
                  "--storage.path=" + plan.layout().alertmanagerData(replica),
                  "--web.listen-address=" + LaunchPlan.HOST + ":" + plan.ports().of(replica)),
              plan.alertmanagerClusterArguments(replica)),
      (plan, replica) -> Map.of()),
  /**
   * The read-only web console ({@code vigil console}), a Java process: it asks Prometheus only when
   * a page is open, reads the SLO specs beside {@code deploy/}, the receiver's notifications, the
   * services' error groups through their admin APIs (with the token in the state directory) and the
   * profiles saved there.
   */
  CONSOLE(
      "console",
      "/readyz",
      Program.java(ServiceCommands::console),
      (plan, replica) ->
          List.of(
              "--host",
              LaunchPlan.HOST,
              "--port",
              Integer.toString(plan.ports().console()),
              "--prometheus",
              "http://" + LaunchPlan.HOST + ":" + plan.ports().prometheus(),
              "--notifications",
              plan.layout().notifications().toString(),
              "--slos",
              plan.configs().deployDir().resolveSibling("slos").toString(),
              "--zipkin",
              "http://" + LaunchPlan.HOST + ":" + plan.ports().traceBackend(),
              "--logs",
              plan.layout().logFile(CATALOG).getParent().toString(),
              "--runbooks",
              plan.configs().deployDir().resolveSibling("docs").resolve("runbooks").toString(),
              "--state-dir",
              plan.layout().root().toString(),
              "--admin",
              "catalog=http://"
                  + LaunchPlan.HOST
                  + ":"
                  + plan.ports().catalogAdmin()
                  + ",payments=http://"
                  + LaunchPlan.HOST
                  + ":"
                  + plan.ports().paymentsAdmin()),
      (plan, replica) -> Map.of()),
  /** Scrapes targets, evaluates rules, sends alerts to Alertmanager. */
  PROMETHEUS(
      "prometheus",
      "/-/ready",
      Program.tool(PrometheusTool.PROMETHEUS),
      (plan, replica) ->
          concat(
              List.of(
                  "--config.file=" + plan.configs().prometheusConfig(),
                  "--storage.tsdb.path=" + plan.layout().prometheusData(),
                  // a 30-day SLO needs 30 days of raw series and of its recorded counts
                  "--storage.tsdb.retention.time=31d",
                  "--web.listen-address=" + LaunchPlan.HOST + ":" + plan.ports().prometheus(),
                  "--enable-feature=exemplar-storage",
                  "--web.enable-lifecycle",
                  // vigil slo backfill writes SLO history here (docs/slo-spec.md)
                  "--web.enable-remote-write-receiver"),
              // Prometheus re-sends firing alerts every resend-delay (default 1m); an alert sent
              // before
              // Alertmanager was discovered would otherwise reach it only a minute later.
              plan.profile().evaluationIntervalSeconds() > 0
                  ? List.of(
                      "--rules.alert.resend-delay="
                          + 2 * plan.profile().evaluationIntervalSeconds()
                          + "s")
                  : List.of()),
      (plan, replica) -> Map.of()),
  /**
   * The scrapers of the ha topology: vmagent replicas, each scraping its hash share of the targets
   * of the rendered scrape config ({@code -promscrape.cluster.*}) and remote-writing into
   * VictoriaMetrics.
   */
  VMAGENT(
      "vmagent",
      "/health",
      Program.tool(PrometheusTool.VMAGENT),
      (plan, replica) ->
          List.of(
              "-httpListenAddr=" + LaunchPlan.HOST + ":" + plan.ports().of(replica),
              "-promscrape.config=" + plan.configs().scrapeConfig(),
              "-promscrape.cluster.membersCount=" + replica.count(),
              "-promscrape.cluster.memberNum=" + replica.index(),
              "-remoteWrite.url=" + plan.queryApi() + "/api/v1/write",
              "-remoteWrite.tmpDataPath=" + plan.layout().vmagentData(replica)),
      (plan, replica) -> Map.of()),
  /**
   * The rule evaluators of the ha topology: vmalert replicas evaluating the same rules against
   * VictoriaMetrics, writing recorded series and alert state back into it and notifying every
   * Alertmanager.
   */
  VMALERT(
      "vmalert",
      "/health",
      Program.tool(PrometheusTool.VMALERT),
      (plan, replica) -> plan.vmalertArguments(replica),
      (plan, replica) -> Map.of());

  private final String id;
  private final String readinessPath;
  private final Program program;
  private final BiFunction<LaunchPlan, Replica, List<String>> arguments;
  private final BiFunction<LaunchPlan, Replica, Map<String, String>> environment;

  Component(
      String id,
      String readinessPath,
      Program program,
      BiFunction<LaunchPlan, Replica, List<String>> arguments,
      BiFunction<LaunchPlan, Replica, Map<String, String>> environment) {
    this.id = id;
    this.readinessPath = readinessPath;
    this.program = program;
    this.arguments = arguments;
    this.environment = environment;
  }

  /**
   * The short name used in pid and log file names and in messages, e.g. {@code node_exporter}.
   *
   * @return the component id
   */
  public String id() {
    return id;
  }

  /**
   * The HTTP path that answers 200 once the component is ready, e.g. {@code /-/ready}; empty for
   * PostgreSQL, which is ready once it accepts TCP connections.
   *
   * @return the readiness path
   */
  public String readinessPath() {
    return readinessPath;
  }

  /**
   * The Prometheus project program this component runs, found on PATH; empty for the Java
   * components that vigil runs itself.
   *
   * @return the program, with its executable names and Debian package
   */
  public Optional<PrometheusTool> tool() {
    return switch (program) {
      case Program.Tool t -> Optional.of(t.tool());
      case Program.Postgres p ->
          Optional.of(new PrometheusTool(List.of("postgres"), PostgresBinaries.DEBIAN_PACKAGE));
      case Program.JavaCommand j -> Optional.empty();
    };
  }

  /**
   * The program's command line, before {@link #arguments}: the executable found on PATH, or vigil's
   * Java command line for this component.
   *
   * @param commands vigil's Java command lines
   * @return the program, or empty when the tool is not on PATH or no Java command line was given
   *     (the trace backend without its jar, a stack without the console)
   */
  Optional<List<String>> program(ServiceCommands commands) {
    return switch (program) {
      case Program.Tool t -> t.tool().find().map(path -> List.of(path.toString()));
      case Program.Postgres p -> PostgresBinaries.find().map(b -> b.command("postgres", List.of()));
      case Program.JavaCommand j -> {
        List<String> command = j.commandLine().apply(commands);
        yield command.isEmpty() ? Optional.empty() : Optional.of(command);
      }
    };
  }

  /**
   * The arguments one replica of this component gets under a plan (listen addresses, config files,
   * data directories).
   *
   * @param plan the stack's plan
   * @param replica which replica
   * @return the arguments after the program
   */
  List<String> arguments(LaunchPlan plan, Replica replica) {
    return arguments.apply(plan, replica);
  }

  /**
   * The variables added to the inherited environment of one replica under a plan.
   *
   * @param plan the stack's plan
   * @param replica which replica
   * @return name to value
   */
  Map<String, String> environment(LaunchPlan plan, Replica replica) {
    return new LinkedHashMap<>(environment.apply(plan, replica));
  }

  /**
   * What a component runs: a Prometheus project tool from PATH, or one of vigil's Java programs.
   */
  private sealed interface Program {

    /**
     * @param tool the program found on PATH, e.g. {@link PrometheusTool#ALERTMANAGER}
     */
    record Tool(PrometheusTool tool) implements Program {}

    /**
     * @param commandLine vigil's Java command line for the component, empty when it cannot run here
     *     (the trace backend without its jar, a stack without the console)
     */
    record JavaCommand(Function<ServiceCommands, List<String>> commandLine) implements Program {}

    /** The PostgreSQL server, from {@link PostgresBinaries}. */
    record Postgres() implements Program {}

    static Program postgres() {
      return new Postgres();
    }

    static Program tool(PrometheusTool tool) {
      return new Tool(tool);
    }

    static Program java(Function<ServiceCommands, List<String>> commandLine) {
      return new JavaCommand(commandLine);
    }
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> out = new ArrayList<>(first);
    out.addAll(second);
    return out;
  }
}
