package dev.vigil.stack;

import dev.vigil.prometheus.StateDirectory;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack keeps its state: {@code run/*.pid}, {@code logs/*.log}, {@code config/}
 * (configs rendered for the profile), {@code prometheus/} and {@code alertmanager/} data, {@code
 * alerts/notifications.jsonl}, {@code admin-token}, and what the services write there: {@code db/}
 * (the catalog's H2), {@code profiles/}, {@code errors/}, {@code drills/} (reports), {@code
 * zipkin/} (the trace backend's jar).
 *
 * @param root the state directory, normally {@code .vigil} ({@code $VIGIL_DATA_DIR})
 */
public record StackLayout(Path root) {

  /**
   * The layout under {@code $VIGIL_DATA_DIR}, or {@code .vigil} in the working directory when
   * unset.
   *
   * @return the layout of the current environment
   */
  public static StackLayout fromEnvironment() {
    return new StackLayout(StateDirectory.fromEnvironment());
  }

  /**
   * The pid file of a component, e.g. {@code .vigil/run/prometheus.pid}.
   *
   * @param component the component
   * @return its pid file path
   */
  public Path pidFile(Component component) {
    return pidFile(component.id());
  }

  /**
   * The pid file of one replica, e.g. {@code .vigil/run/vmagent-2.pid}.
   *
   * @param id the replica's id ({@link Replica#id()})
   * @return its pid file path
   */
  public Path pidFile(String id) {
    return root.resolve("run").resolve(id + ".pid");
  }

  /**
   * The log of a component (stdout and stderr), e.g. {@code .vigil/logs/prometheus.log}.
   *
   * @param component the component
   * @return its log path
   */
  public Path logFile(Component component) {
    return logFile(component.id());
  }

  /**
   * The log of one replica, e.g. {@code .vigil/logs/catalog-2.log}.
   *
   * @param id the replica's id ({@link Replica#id()})
   * @return its log path
   */
  public Path logFile(String id) {
    return root.resolve("logs").resolve(id + ".log");
  }

  /**
   * The record of how the running stack was started (profile, command lines): {@code
   * run/stack.json}.
   *
   * @return the state file path
   */
  public Path stateFile() {
    return root.resolve("run").resolve("stack.json");
  }

  /**
   * The admin token of the running stack's services, written by {@code up} with mode 0600: {@code
   * admin-token}.
   *
   * @return the token file path
   */
  public Path adminToken() {
    return root.resolve(StackAdmin.TOKEN_FILE);
  }

  /**
   * The directory of the rendered configs: {@code config/}.
   *
   * @return the rendered config directory
   */
  public Path configDir() {
    return root.resolve("config");
  }

  /**
   * Prometheus' TSDB directory: {@code prometheus/}.
   *
   * @return the data directory
   */
  public Path prometheusData() {
    return root.resolve("prometheus");
  }

  /**
   * Alertmanager's storage directory (silences, notification log): {@code alertmanager/}.
   *
   * @return the data directory
   */
  public Path alertmanagerData() {
    return root.resolve("alertmanager");
  }

  /**
   * One Alertmanager's storage directory: {@code alertmanager/} for a single one, {@code
   * alertmanager/<n>} for each replica of a cluster.
   *
   * @param replica which Alertmanager
   * @return the data directory
   */
  public Path alertmanagerData(Replica replica) {
    return replica.count() == 1
        ? alertmanagerData()
        : alertmanagerData().resolve(Integer.toString(replica.number()));
  }

  /**
   * The ha topology's PostgreSQL cluster, the catalogs' database: {@code postgres/}.
   *
   * @return the data directory
   */
  public Path postgresData() {
    return root.resolve("postgres");
  }

  /**
   * VictoriaMetrics' storage in the ha topology: {@code victoria-metrics/}.
   *
   * @return the data directory
   */
  public Path victoriaMetricsData() {
    return root.resolve("victoria-metrics");
  }

  /**
   * One vmagent's buffer of samples not yet remote-written: {@code vmagent/<n>}.
   *
   * @param replica which vmagent
   * @return the buffer directory
   */
  public Path vmagentData(Replica replica) {
    return root.resolve("vmagent").resolve(Integer.toString(replica.number()));
  }

  /**
   * The JSONL file of the alert receiver: {@code alerts/notifications.jsonl}.
   *
   * @return the notifications file
   */
  public Path notifications() {
    return root.resolve("alerts").resolve("notifications.jsonl");
  }

  /**
   * Where the launcher puts Zipkin server's executable jar (Maven Central {@code
   * io.zipkin:zipkin-server:exec}), the local trace backend.
   *
   * @return {@code <root>/zipkin/zipkin-server-exec.jar}
   */
  public Path traceBackendJar() {
    return root().resolve("zipkin").resolve("zipkin-server-exec.jar");
  }

  /**
   * The catalog's embedded database (H2) when it runs without {@code VIGIL_DB_URL}: {@code db/}.
   *
   * @return the database directory
   */
  public Path catalogDatabase() {
    return root.resolve("db");
  }

  /**
   * The JFR recordings the services save for {@code vigil profile}: {@code profiles/}.
   *
   * @return the recordings directory
   */
  public Path profiles() {
    return root.resolve("profiles");
  }

  /**
   * The error fingerprints the services' error tracking has seen, kept across restarts so that a
   * known error is not announced again: {@code errors/}.
   *
   * @return the error tracking directory
   */
  public Path knownErrors() {
    return root.resolve("errors");
  }

  /**
   * Where {@code vigil drill run} writes its reports unless told otherwise: {@code drills/}.
   *
   * @return the drill reports directory
   */
  public Path drillReports() {
    return root.resolve("drills");
  }

  /**
   * The backtests {@code vigil slo backtest --format html} saved, which the console lists (the slo
   * module names the same directory without depending on this one).
   *
   * @return the saved backtests directory
   */
  public Path backtests() {
    return root.resolve("backtests");
  }

  /**
   * The entries of the state directory that hold what a stack recorded, removed by {@code vigil
   * down --purge} ({@link StatePurge}): pid files and the state file, logs, rendered configs,
   * Prometheus' and Alertmanager's data, the receiver's notifications, the admin token, the
   * services' profiles and known error fingerprints, the drill reports and the saved backtests.
   *
   * @return direct children of {@link #root()}, whether they exist or not
   */
  public List<Path> recordedHistory() {
    return List.of(
        root.resolve("run"),
        root.resolve("logs"),
        configDir(),
        prometheusData(),
        alertmanagerData(),
        victoriaMetricsData(),
        root.resolve("vmagent"),
        notifications().getParent(),
        adminToken(),
        adminToken().resolveSibling(StackAdmin.TOKEN_FILE + ".partial"),
        profiles(),
        knownErrors(),
        drillReports(),
        backtests());
  }

  /**
   * The payment provider's durable ledger ({@code $VIGIL_DATA_DIR/payments/ledger.jsonl}).
   *
   * @return {@code <root>/payments}
   */
  public Path paymentsLedger() {
    return root.resolve("payments");
  }

  /**
   * The entries of the state directory that {@code vigil down --purge} keeps: the catalog's
   * database and the provider's ledger (orders, stock and captures are the services' data, not the
   * stack's history, and must stay consistent with each other) and the downloaded trace backend.
   *
   * @return direct children of {@link #root()}, whether they exist or not
   */
  public List<Path> keptByPurge() {
    return List.of(
        catalogDatabase(), postgresData(), paymentsLedger(), traceBackendJar().getParent());
  }

  /**
   * The directory where the services' copies of the vigil jar live while the stack runs ({@code
   * ./vigil test} rebuilds cli/target/vigil.jar in place, and a JVM whose jar is replaced under it
   * fails to load the classes it has not loaded yet, e.g. on its graceful shutdown).
   *
   * @return {@code <root>/run}, holding {@code vigil-<build time in ms>.jar} files
   */
  public Path jarCopies() {
    return root().resolve("run");
  }
}
