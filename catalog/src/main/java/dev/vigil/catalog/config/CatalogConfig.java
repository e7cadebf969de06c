package dev.vigil.catalog.config;

import dev.vigil.prometheus.StateDirectory;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.config.Environment;
import dev.vigil.telemetry.config.Setting;
import dev.vigil.telemetry.config.Settings;
import dev.vigil.telemetry.config.UrlSecrets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The catalog's configuration, read from environment variables with documented defaults
 * (12-factor).
 *
 * <p>Every variable, with its default and accepted values, is declared once in {@link #SETTINGS}:
 * this record is read through it, {@code vigil catalog --help} prints it and the README's table is
 * held to it by a test.
 *
 * @param host interface to bind
 * @param port TCP port, 0 for any free port
 * @param dataDir local state directory
 * @param dbUrl JDBC URL of an external database, or {@code null} for the embedded H2 file database
 * @param dbUser database user, or {@code null}
 * @param dbPassword database password, or {@code null}; never logged
 * @param poolSize maximum connections in the pool
 * @param poolTimeout longest wait for a pooled connection
 * @param slowQuery statements slower than this are logged and counted as slow
 * @param shutdownGrace how long in-flight requests may take to finish after SIGTERM
 * @param logLevel root log level
 * @param telemetry instrumentation switches
 * @param paymentsUrl base URL of the payment provider
 * @param paymentsTimeout longest wait for one payment attempt
 * @param paymentsBreakerWait how long the open circuit breaker rejects payments before trying again
 * @param confirmationCapacity most confirmations waiting in the queue
 * @param confirmationDelay time the worker takes per confirmation
 * @param reconcileInterval time between two passes of the order reconciler
 * @param shutdownDrain after SIGTERM, how long the listener keeps serving while readiness is 503
 * @param maxConcurrentRequests requests in flight before new ones are shed with 503
 * @param bodyDeadline longest time from a request's headers to the end of its body; later is 408
 * @param maxConnectionsPerClient connections open at once from one IP address, 0 for no limit
 * @param paymentsToken the payment provider's API token, or {@code null}; never logged
 */
public record CatalogConfig(
    String host,
    int port,
    Path dataDir,
    String dbUrl,
    String dbUser,
    String dbPassword,
    int poolSize,
    Duration poolTimeout,
    Duration slowQuery,
    Duration shutdownGrace,
    String logLevel,
    TelemetrySwitches telemetry,
    URI paymentsUrl,
    Duration paymentsTimeout,
    Duration paymentsBreakerWait,
    int confirmationCapacity,
    Duration confirmationDelay,
    Duration reconcileInterval,
    Duration shutdownDrain,
    int maxConcurrentRequests,
    Duration bodyDeadline,
    int maxConnectionsPerClient,
    String paymentsToken) {

  private static final Setting<String> HOST =
      Setting.text("VIGIL_HOST", "127.0.0.1", "an interface address", "interface to bind");
  private static final Setting<Integer> PORT =
      Setting.integer("VIGIL_PORT", 8000, 0, 65535, "HTTP port (0 = any free port)");
  private static final Setting<Path> DATA_DIR =
      Setting.custom(
          StateDirectory.VARIABLE,
          StateDirectory.DEFAULT,
          "a directory",
          "local state: the embedded H2 database in $VIGIL_DATA_DIR/db/, error fingerprints, profiles",
          env -> StateDirectory.of(env.variables()));
  private static final Setting<String> DB_URL =
      Setting.custom(
          "VIGIL_DB_URL",
          "(unset: embedded H2)",
          "jdbc:postgresql://... or jdbc:h2:...",
          "the database; its password is masked wherever the URL is logged",
          CatalogConfig::dbUrl);
  private static final Setting<String> DB_USER =
      Setting.optional("VIGIL_DB_USER", "(unset)", "a user name", "database user of VIGIL_DB_URL");
  private static final Setting<String> DB_PASSWORD =
      Setting.optional(
          "VIGIL_DB_PASSWORD", "(unset)", "a password", "database password; never logged");
  private static final Setting<Integer> POOL_SIZE =
      Setting.integer("DB_POOL_SIZE", 10, 1, 500, "connections in the database pool");
  private static final Setting<Integer> POOL_TIMEOUT =
      Setting.integer(
          "DB_POOL_TIMEOUT",
          5000,
          250,
          600_000,
          "milliseconds a request waits for a connection (in 250 ms slices, rounded down; less once"
              + " the database is known down)");
  private static final Setting<Duration> SLOW_QUERY =
      Setting.duration(
          "VIGIL_SLOW_QUERY", "500ms", "statements slower than this are logged and counted slow");
  private static final Setting<Duration> SHUTDOWN_GRACE =
      Setting.duration(
          "VIGIL_SHUTDOWN_GRACE", "10s", "after SIGTERM, how long in-flight requests may finish");
  private static final Setting<Duration> SHUTDOWN_DRAIN =
      Setting.duration(
          "VIGIL_SHUTDOWN_DRAIN",
          "5s",
          "after SIGTERM, how long readiness is 503 while the listener still serves (a load"
              + " balancer's time to stop routing)");
  private static final Setting<Integer> MAX_CONCURRENT_REQUESTS =
      Setting.integer(
          "VIGIL_MAX_CONCURRENT_REQUESTS",
          256,
          1,
          100_000,
          "requests in flight; more are shed with 503 (docs/reliability.md)");
  private static final Setting<Duration> BODY_DEADLINE =
      Setting.duration(
          "VIGIL_BODY_DEADLINE",
          "10s",
          "longest time a client may take to send a request body; slower bodies get 408, a client"
              + " error, without holding an in-flight place");
  private static final Setting<Integer> MAX_CONNECTIONS_PER_CLIENT =
      Setting.integer(
          "VIGIL_MAX_CONNECTIONS_PER_CLIENT",
          256,
          0,
          100_000,
          "connections open at once from one IP address (0 = no limit; behind a proxy every"
              + " connection shares its address)");
  private static final Setting<String> LOG_LEVEL =
      Setting.oneOf(
          "LOG_LEVEL",
          "INFO",
          List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR"),
          "root log level");
  private static final Setting<URI> PAYMENTS_URL =
      Setting.url("VIGIL_PAYMENTS_URL", "http://127.0.0.1:8001", "the payment provider");
  private static final Setting<String> PAYMENTS_TOKEN =
      Setting.token(
          "VIGIL_PAYMENTS_TOKEN",
          "(unset: none sent)",
          "the payment provider's API token, sent as a bearer token");
  private static final Setting<Duration> PAYMENTS_TIMEOUT =
      Setting.duration(
          "VIGIL_PAYMENTS_TIMEOUT", "2s", "one payment attempt; longer counts as failed");
  private static final Setting<Duration> PAYMENTS_BREAKER_WAIT =
      Setting.duration(
          "VIGIL_PAYMENTS_BREAKER_WAIT",
          "10s",
          "how long the payments circuit breaker, once open, refuses at once");
  private static final Setting<Integer> CONFIRMATION_QUEUE_CAPACITY =
      Setting.integer(
          "VIGIL_CONFIRMATION_QUEUE_CAPACITY", 1000, 1, 1_000_000, "confirmations waiting");
  private static final Setting<Duration> CONFIRMATION_DELAY =
      Setting.duration(
          "VIGIL_CONFIRMATION_DELAY", "0ms", "time to send one confirmation (a slow mail server)");
  private static final Setting<Duration> RECONCILE_INTERVAL =
      Setting.duration(
          "VIGIL_RECONCILE_INTERVAL",
          "30s",
          "time between two passes of the order reconciler (docs/orders.md)");

  /** The port of the catalog's admin API unless {@code VIGIL_ADMIN_PORT} says otherwise. */
  public static final int ADMIN_PORT = 8010;

  /**
   * Every variable the catalog reads, in the order of its {@code --help} and the README's table:
   * its own, the instrumentation switches, then its admin API's ({@link AdminConfig#settings}).
   * {@code OTEL_*} variables are OpenTelemetry's own (docs/tracing.md).
   */
  public static final Settings SETTINGS =
      new Settings(
              "catalog",
              List.of(
                  HOST,
                  PORT,
                  DATA_DIR,
                  DB_URL,
                  DB_USER,
                  DB_PASSWORD,
                  POOL_SIZE,
                  POOL_TIMEOUT,
                  SLOW_QUERY,
                  SHUTDOWN_GRACE,
                  SHUTDOWN_DRAIN,
                  MAX_CONCURRENT_REQUESTS,
                  BODY_DEADLINE,
                  MAX_CONNECTIONS_PER_CLIENT,
                  LOG_LEVEL,
                  TelemetrySwitches.SETTING,
                  PAYMENTS_URL,
                  PAYMENTS_TOKEN,
                  PAYMENTS_TIMEOUT,
                  PAYMENTS_BREAKER_WAIT,
                  CONFIRMATION_QUEUE_CAPACITY,
                  CONFIRMATION_DELAY,
                  RECONCILE_INTERVAL))
          .and(AdminConfig.settings(ADMIN_PORT));

  /**
   * Reads the configuration through {@link #SETTINGS}.
   *
   * @param variables the environment, usually {@code System.getenv()}
   * @return the validated configuration
   * @throws IllegalArgumentException naming the first invalid variable, its value and the accepted
   *     format
   */
  public static CatalogConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    return new CatalogConfig(
        HOST.read(env),
        PORT.read(env),
        DATA_DIR.read(env),
        DB_URL.read(env),
        DB_USER.read(env),
        DB_PASSWORD.read(env),
        POOL_SIZE.read(env),
        Duration.ofMillis(POOL_TIMEOUT.read(env)),
        SLOW_QUERY.read(env),
        SHUTDOWN_GRACE.read(env),
        LOG_LEVEL.read(env),
        TelemetrySwitches.SETTING.read(env),
        PAYMENTS_URL.read(env),
        PAYMENTS_TIMEOUT.read(env),
        PAYMENTS_BREAKER_WAIT.read(env),
        CONFIRMATION_QUEUE_CAPACITY.read(env),
        CONFIRMATION_DELAY.read(env),
        RECONCILE_INTERVAL.read(env),
        SHUTDOWN_DRAIN.read(env),
        MAX_CONCURRENT_REQUESTS.read(env),
        BODY_DEADLINE.read(env),
        MAX_CONNECTIONS_PER_CLIENT.read(env),
        PAYMENTS_TOKEN.read(env));
  }

  private static String dbUrl(Environment env) {
    String dbUrl = env.text("VIGIL_DB_URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
      throw Environment.invalid(
          "VIGIL_DB_URL",
          dbUrl,
          "a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/catalog (or empty for the embedded H2 database)");
    }
    return dbUrl;
  }

  /** Whether the catalog uses its embedded H2 file database (no {@code VIGIL_DB_URL}). */
  public boolean embeddedDatabase() {
    return dbUrl == null;
  }

  /**
   * The JDBC URL in use: {@code VIGIL_DB_URL}, or the H2 file under {@code $VIGIL_DATA_DIR/db/}.
   */
  public String jdbcUrl() {
    if (!embeddedDatabase()) {
      return dbUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.resolve("db").resolve("catalog")
        + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
  }

  @Override
  public String toString() {
    return "CatalogConfig[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", db="
        + (dbUrl == null ? "embedded H2" : UrlSecrets.mask(dbUrl))
        + ", poolSize="
        + poolSize
        + ", poolTimeout="
        + poolTimeout
        + ", slowQuery="
        + slowQuery
        + ", shutdownGrace="
        + shutdownGrace
        + ", logLevel="
        + logLevel
        + ", telemetry="
        + telemetry
        + ", payments="
        + paymentsUrl
        + ", confirmationCapacity="
        + confirmationCapacity
        + ", reconcileInterval="
        + reconcileInterval
        + ", shutdownDrain="
        + shutdownDrain
        + ", maxConcurrentRequests="
        + maxConcurrentRequests
        + ", bodyDeadline="
        + bodyDeadline
        + ", maxConnectionsPerClient="
        + maxConnectionsPerClient
        + ", paymentsToken="
        + (paymentsToken == null ? "unset" : "***")
        + "]";
  }
}
