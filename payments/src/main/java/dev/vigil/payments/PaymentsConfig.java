package dev.vigil.payments;

import dev.vigil.telemetry.TelemetrySwitches;
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
 *   <tr><td>VIGIL_TELEMETRY</td><td>metrics,access-log,tracing</td><td>see {@link TelemetrySwitches}</td></tr>
 *   <tr><td>OTEL_*</td><td></td><td>tracing, see {@link dev.vigil.telemetry.tracing.Tracing}</td></tr>
 * </table>
 *
 * @param host interface to bind
 * @param port TCP port, 0 for any free port
 * @param faults the failures and latency injected from the start
 * @param telemetry instrumentation switches
 */
public record PaymentsConfig(String host, int port, Faults.Setting faults, TelemetrySwitches telemetry) {

  /**
   * Reads the configuration.
   *
   * @param env the environment, usually {@code System.getenv()}
   * @return the validated configuration
   * @throws IllegalArgumentException naming the first invalid variable, its value and what is accepted
   */
  public static PaymentsConfig fromEnvironment(Map<String, String> env) {
    int port = integer(env, "VIGIL_PAYMENTS_PORT", 8001, 0, 65535);
    double failureRate = ratio(env, "VIGIL_PAYMENTS_FAILURE_RATE");
    long latencyMs = integer(env, "VIGIL_PAYMENTS_LATENCY_MS", 0, 0, (int) Faults.MAX_LATENCY.toMillis());
    TelemetrySwitches switches;
    try {
      switches = TelemetrySwitches.parse(env.get(TelemetrySwitches.VARIABLE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
    return new PaymentsConfig(env.getOrDefault("VIGIL_HOST", "127.0.0.1"), port,
        new Faults.Setting(failureRate, Duration.ofMillis(latencyMs)), switches);
  }

  /**
   * A copy listening on another port; handy for tests.
   *
   * @param newPort 0..65535
   * @return the new configuration
   */
  public PaymentsConfig withPort(int newPort) {
    return new PaymentsConfig(host, newPort, faults, telemetry);
  }

  private static int integer(Map<String, String> env, String name, int defaultValue, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(name, raw, "an integer from " + min + " to " + max + " (default " + defaultValue + ")");
  }

  private static double ratio(Map<String, String> env, String name) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return 0;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(name, raw, "a ratio from 0 to 1, such as 0.25 (default 0)");
  }

  private static IllegalArgumentException invalid(String name, String value, String accepted) {
    return new IllegalArgumentException(
        "invalid configuration: " + name + "='" + value + "' is not accepted; expected " + accepted);
  }
}
