package dev.vigil.payments;

import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.config.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The payment provider's configuration, read from environment variables with documented defaults.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>default</th><th>accepted</th></tr>
 *   <tr><td>VIGIL_HOST</td><td>127.0.0.1</td><td>interface to bind</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_PORT</td><td>8001</td><td>0..65535 (0 = any free port)</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_FAILURE_RATE</td><td>0</td><td>ratio 0..1 of payments answered 503</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_LATENCY_MS</td><td>0</td><td>0..60000 ms added to every payment</td></tr>
 *   <tr><td>VIGIL_ADMIN_TOKEN</td><td>(unset: admin API off)</td><td>bearer token of the admin API (faults)</td></tr>
 *   <tr><td>VIGIL_ADMIN_TOKEN_NAME</td><td>admin</td><td>who holds it, logged with every change</td></tr>
 *   <tr><td>VIGIL_ADMIN_BIND</td><td>127.0.0.1</td><td>interface of the admin API</td></tr>
 *   <tr><td>VIGIL_ADMIN_PORT</td><td>8011</td><td>0..65535, port of the admin API</td></tr>
 *   <tr><td>VIGIL_DATA_DIR</td><td>(unset: kept in memory)</td><td>directory; the ledger in $VIGIL_DATA_DIR/payments/ledger.jsonl (fsync'd before every answer), known error fingerprints in $VIGIL_DATA_DIR/errors/, profiles in $VIGIL_DATA_DIR/profiles/</td></tr>
 *   <tr><td>VIGIL_PAYMENTS_TOKEN</td><td>(unset: the payment API is open, a WARN says so)</td><td>at least {@value dev.vigil.telemetry.auth.BearerToken#MIN_LENGTH} characters; callers send {@code Authorization: Bearer <token>}</td></tr>
 *   <tr><td>VIGIL_TELEMETRY</td><td>metrics,access-log,tracing</td><td>see {@link TelemetrySwitches}</td></tr>
 *   <tr><td>OTEL_*</td><td></td><td>tracing, see {@link dev.vigil.telemetry.tracing.Tracing}</td></tr>
 * </table>
 *
 * @param host interface to bind
 * @param port TCP port, 0 for any free port
 * @param faults the failures and latency injected from the start
 * @param telemetry instrumentation switches
 * @param admin the admin API ({@code /admin/faults}), off without a token
 * @param dataDir where the ledger is kept, or {@code null} for a ledger in memory only
 * @param apiToken the bearer token every call of the payment API must carry, or {@code null} for an
 *     open API; never logged
 */
public record PaymentsConfig(
    String host,
    int port,
    Faults.Setting faults,
    TelemetrySwitches telemetry,
    AdminConfig admin,
    Path dataDir,
    String apiToken) {

  /** The variable holding the payment API's token. */
  public static final String TOKEN_VARIABLE = "VIGIL_PAYMENTS_TOKEN";

  /** The default port of the provider's admin API ({@code VIGIL_ADMIN_PORT}). */
  public static final int ADMIN_PORT = 8011;

  /**
   * Reads the configuration.
   *
   * @param variables the environment, usually {@code System.getenv()}
   * @return the validated configuration
   * @throws IllegalArgumentException naming the first invalid variable, its value and what is
   *     accepted (a token is never echoed, only its length)
   */
  public static PaymentsConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    int port = env.integer("VIGIL_PAYMENTS_PORT", 8001, 0, 65535);
    double failureRate = env.ratio("VIGIL_PAYMENTS_FAILURE_RATE", 0);
    long latencyMs =
        env.integer("VIGIL_PAYMENTS_LATENCY_MS", 0, 0, (int) Faults.MAX_LATENCY.toMillis());
    String dataDir = env.text("VIGIL_DATA_DIR");
    String token = env.text(TOKEN_VARIABLE);
    BearerToken.checkLength(TOKEN_VARIABLE, token);
    return new PaymentsConfig(
        env.text("VIGIL_HOST", "127.0.0.1"),
        port,
        new Faults.Setting(failureRate, Duration.ofMillis(latencyMs)),
        env.telemetrySwitches(),
        AdminConfig.fromEnvironment(variables, ADMIN_PORT),
        dataDir == null ? null : Path.of(dataDir).toAbsolutePath().normalize(),
        token);
  }

  /**
   * A copy listening on another port; handy for tests.
   *
   * @param newPort 0..65535
   * @return the new configuration
   */
  public PaymentsConfig withPort(int newPort) {
    return new PaymentsConfig(host, newPort, faults, telemetry, admin, dataDir, apiToken);
  }

  /**
   * A copy whose ledger is kept under a directory; handy for tests.
   *
   * @param dir the data directory (the ledger goes to {@code dir/payments/ledger.jsonl})
   * @return the new configuration
   */
  public PaymentsConfig withDataDir(Path dir) {
    return new PaymentsConfig(host, port, faults, telemetry, admin, dir, apiToken);
  }

  /**
   * A copy whose payment API requires a bearer token; handy for tests.
   *
   * @param token at least {@value BearerToken#MIN_LENGTH} characters
   * @return the new configuration
   * @throws IllegalArgumentException when the token is shorter
   */
  public PaymentsConfig withApiToken(String token) {
    BearerToken.checkLength(TOKEN_VARIABLE, token);
    return new PaymentsConfig(host, port, faults, telemetry, admin, dataDir, token);
  }

  /** The ledger's file: {@code $VIGIL_DATA_DIR/payments/ledger.jsonl}, or null in memory. */
  public Path ledgerFile() {
    return dataDir == null ? null : dataDir.resolve("payments").resolve("ledger.jsonl");
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "PaymentsConfig[host="
        + host
        + ", port="
        + port
        + ", faults="
        + faults
        + ", telemetry="
        + telemetry
        + ", admin="
        + admin
        + ", dataDir="
        + dataDir
        + ", apiToken="
        + (apiToken == null ? "unset" : "***")
        + "]";
  }
}
