package dev.vigil.catalog.config;

import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.config.Environment;
import dev.vigil.telemetry.config.UrlSecrets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's configuration, read from environment variables with documented defaults
 * (12-factor).
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>default</th><th>accepted</th></tr>
 *   <tr><td>VIGIL_HOST</td><td>127.0.0.1</td><td>interface to bind</td></tr>
 *   <tr><td>VIGIL_PORT</td><td>8000</td><td>0..65535 (0 = any free port)</td></tr>
 *   <tr><td>VIGIL_DATA_DIR</td><td>.vigil</td><td>directory; H2 lives in $VIGIL_DATA_DIR/db/</td></tr>
 *   <tr><td>VIGIL_DB_URL</td><td>(empty: embedded H2)</td><td>jdbc:postgresql://... or jdbc:h2:...</td></tr>
 *   <tr><td>VIGIL_DB_USER, VIGIL_DB_PASSWORD</td><td>(empty)</td><td>credentials for VIGIL_DB_URL</td></tr>
 *   <tr><td>DB_POOL_SIZE</td><td>10</td><td>1..500 connections</td></tr>
 *   <tr><td>DB_POOL_TIMEOUT</td><td>5000</td><td>250..600000 ms to wait for a connection (in 250 ms slices, rounded down; less once the database is known down)</td></tr>
 *   <tr><td>VIGIL_SLOW_QUERY</td><td>500ms</td><td>duration such as 250ms or 2s</td></tr>
 *   <tr><td>VIGIL_SHUTDOWN_GRACE</td><td>10s</td><td>duration such as 500ms or 30s</td></tr>
 *   <tr><td>VIGIL_SHUTDOWN_DRAIN</td><td>5s</td><td>after SIGTERM, how long readiness is 503 while the
 *       listener still serves (a load balancer's time to stop routing), before it closes</td></tr>
 *   <tr><td>VIGIL_MAX_CONCURRENT_REQUESTS</td><td>256</td><td>1..100000 requests in flight; more are shed with 503</td></tr>
 *   <tr><td>VIGIL_BODY_DEADLINE</td><td>10s</td><td>longest time a client may take to send a request's body;
 *       slower bodies are answered 408 (a client error) without holding a bulkhead place</td></tr>
 *   <tr><td>VIGIL_MAX_CONNECTIONS_PER_CLIENT</td><td>256</td><td>0..100000 connections open at once from one
 *       IP address (0 = no limit; behind a proxy every connection shares its address)</td></tr>
 *   <tr><td>LOG_LEVEL</td><td>INFO</td><td>TRACE, DEBUG, INFO, WARN, ERROR</td></tr>
 *   <tr><td>VIGIL_TELEMETRY</td><td>metrics,access-log,tracing</td><td>see {@link TelemetrySwitches}</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_URL</td><td>http://127.0.0.1:8001</td><td>base URL of the payment provider</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_TOKEN</td><td>(unset: none sent)</td><td>the provider's API token (at least 32 characters), sent as a bearer token</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_TIMEOUT</td><td>2s</td><td>duration of one payment attempt before it counts as failed</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_BREAKER_WAIT</td><td>10s</td><td>how long the open circuit breaker fails fast</td></tr>
 *   <tr><td>VIGIL_CONFIRMATION_QUEUE_CAPACITY</td><td>1000</td><td>1..1000000 confirmations waiting</td></tr>
 *   <tr><td>VIGIL_RECONCILE_INTERVAL</td><td>30s</td><td>time between two passes of the order reconciler</td></tr>
 *   <tr><td>VIGIL_CONFIRMATION_DELAY</td><td>0ms</td><td>time to send one confirmation (a slow mail server)</td></tr>
 * </table>
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

  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

  /**
   * Reads the configuration.
   *
   * @param variables the environment, usually {@code System.getenv()}
   * @return the validated configuration
   * @throws IllegalArgumentException naming the first invalid variable, its value and the accepted
   *     format
   */
  public static CatalogConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    String dbUrl = env.text("VIGIL_DB_URL");
    if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
      throw Environment.invalid(
          "VIGIL_DB_URL",
          dbUrl,
          "a JDBC URL such as jdbc:postgresql://127.0.0.1:5432/catalog (or empty for the embedded H2 database)");
    }
    String level = env.text("LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT);
    if (!LEVELS.contains(level)) {
      throw Environment.invalid(
          "LOG_LEVEL", variables.get("LOG_LEVEL"), "one of TRACE, DEBUG, INFO, WARN, ERROR");
    }
    return new CatalogConfig(
        env.text("VIGIL_HOST", "127.0.0.1"),
        env.integer("VIGIL_PORT", 8000, 0, 65535),
        Path.of(env.text("VIGIL_DATA_DIR", ".vigil")).toAbsolutePath().normalize(),
        dbUrl,
        env.text("VIGIL_DB_USER"),
        env.text("VIGIL_DB_PASSWORD"),
        env.integer("DB_POOL_SIZE", 10, 1, 500),
        Duration.ofMillis(env.integer("DB_POOL_TIMEOUT", 5000, 250, 600_000)),
        env.duration("VIGIL_SLOW_QUERY", "500ms"),
        env.duration("VIGIL_SHUTDOWN_GRACE", "10s"),
        level,
        env.telemetrySwitches(),
        env.url("VIGIL_PAYMENTS_URL", "http://127.0.0.1:8001"),
        env.duration("VIGIL_PAYMENTS_TIMEOUT", "2s"),
        env.duration("VIGIL_PAYMENTS_BREAKER_WAIT", "10s"),
        env.integer("VIGIL_CONFIRMATION_QUEUE_CAPACITY", 1000, 1, 1_000_000),
        env.duration("VIGIL_CONFIRMATION_DELAY", "0ms"),
        env.duration("VIGIL_RECONCILE_INTERVAL", "30s"),
        env.duration("VIGIL_SHUTDOWN_DRAIN", "5s"),
        env.integer("VIGIL_MAX_CONCURRENT_REQUESTS", 256, 1, 100_000),
        env.duration("VIGIL_BODY_DEADLINE", "10s"),
        env.integer("VIGIL_MAX_CONNECTIONS_PER_CLIENT", 256, 0, 100_000),
        paymentsToken(env));
  }

  private static String paymentsToken(Environment env) {
    String token = env.text("VIGIL_PAYMENTS_TOKEN");
    BearerToken.checkLength("VIGIL_PAYMENTS_TOKEN", token);
    return token;
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
