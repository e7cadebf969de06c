package dev.vigil.payments;

import dev.vigil.prometheus.StateDirectory;
import dev.vigil.telemetry.TelemetrySwitches;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.auth.BearerToken;
import dev.vigil.telemetry.config.Environment;
import dev.vigil.telemetry.config.Setting;
import dev.vigil.telemetry.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The payment provider's configuration, read from environment variables with documented defaults.
 *
 * <p>Every variable, with its default and accepted values, is declared once in {@link #SETTINGS}:
 * this record is read through it, {@code vigil payments --help} prints it and the README's table is
 * held to it by a test.
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

  private static final Setting<String> HOST =
      Setting.text("VIGIL_HOST", "127.0.0.1", "an interface address", "interface to bind");
  private static final Setting<Integer> PORT =
      Setting.integer("VIGIL_PAYMENTS_PORT", 8001, 0, 65535, "HTTP port (0 = any free port)");
  private static final Setting<Double> FAILURE_RATE =
      Setting.ratio(
          "VIGIL_PAYMENTS_FAILURE_RATE", 0, "payments answered 503 from the start (a fault)");
  private static final Setting<Integer> LATENCY_MS =
      Setting.integer(
          "VIGIL_PAYMENTS_LATENCY_MS",
          0,
          0,
          (int) Faults.MAX_LATENCY.toMillis(),
          "milliseconds added to every payment from the start (a fault)");
  private static final Setting<Path> DATA_DIR =
      Setting.custom(
          StateDirectory.VARIABLE,
          "(unset: ledger in memory)",
          "a directory",
          "the ledger in $VIGIL_DATA_DIR/payments/ledger.jsonl (fsync'd before every answer), error"
              + " fingerprints and profiles; unset, a restart forgets every payment",
          env -> {
            String dir = env.text(StateDirectory.VARIABLE);
            return dir == null ? null : StateDirectory.of(env.variables());
          });
  private static final Setting<String> TOKEN =
      Setting.token(
          TOKEN_VARIABLE,
          "(unset: the payment API is open, a WARN says so)",
          "bearer token every caller of the payment API must send");

  /**
   * Every variable the provider reads, in the order of its {@code --help} and the README's table:
   * its own, the instrumentation switches, then its admin API's ({@link AdminConfig#settings}).
   */
  public static final Settings SETTINGS =
      new Settings(
              "payments",
              List.of(
                  HOST, PORT, FAILURE_RATE, LATENCY_MS, DATA_DIR, TOKEN, TelemetrySwitches.SETTING))
          .and(AdminConfig.settings(ADMIN_PORT));

  /**
   * Reads the configuration through {@link #SETTINGS}.
   *
   * @param variables the environment, usually {@code System.getenv()}
   * @return the validated configuration
   * @throws IllegalArgumentException naming the first invalid variable, its value and what is
   *     accepted (a token is never echoed, only its length)
   */
  public static PaymentsConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    int port = PORT.read(env);
    double failureRate = FAILURE_RATE.read(env);
    long latencyMs = LATENCY_MS.read(env);
    Path dataDir = DATA_DIR.read(env);
    String token = TOKEN.read(env);
    return new PaymentsConfig(
        HOST.read(env),
        port,
        new Faults.Setting(failureRate, Duration.ofMillis(latencyMs)),
        TelemetrySwitches.SETTING.read(env),
        AdminConfig.fromEnvironment(variables, ADMIN_PORT),
        dataDir,
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
