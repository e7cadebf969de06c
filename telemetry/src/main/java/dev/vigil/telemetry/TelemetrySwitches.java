package dev.vigil.telemetry;

import dev.vigil.telemetry.config.Environment;
import dev.vigil.telemetry.config.Setting;
import dev.vigil.telemetry.config.Settings;
import java.util.Locale;

/**
 * Which instrumentation a service turns on, read from {@code VIGIL_TELEMETRY}.
 *
 * <p>The value is {@code none} or a comma list of {@code metrics}, {@code access-log} and {@code
 * tracing} (default: all three). Benchmarks compare the cost of each layer by switching them one at
 * a time. With {@code none} the service still answers health probes and writes problem details, but
 * records nothing per request: no request id, no metrics, no access log.
 *
 * <p>Request ids exist for the access log and for tracing: with either on, every request gets one
 * (the caller's well-formed {@code X-Request-Id}, or a generated one) in the MDC and the response
 * header. With {@code metrics} alone no id is generated: only a well-formed {@code X-Request-Id}
 * sent by the caller is echoed and put into the MDC.
 *
 * @param metrics RED metrics per request and the {@code /metrics} endpoint with JVM metrics
 * @param accessLog one JSON access-log line per request
 * @param tracing OpenTelemetry spans (consumed by the tracing layer)
 */
public record TelemetrySwitches(boolean metrics, boolean accessLog, boolean tracing) {

  /** The environment variable holding the switches. */
  public static final String VARIABLE = "VIGIL_TELEMETRY";

  /** The switches as a declared setting, for a service's {@link Settings}. */
  public static final Setting<TelemetrySwitches> SETTING =
      Setting.custom(
          VARIABLE,
          "metrics,access-log,tracing",
          "none, or a comma list of metrics, access-log, tracing",
          "the instrumentation switched on (none for benchmarks)",
          Environment::telemetrySwitches);

  /** Everything on: the default when {@code VIGIL_TELEMETRY} is unset or blank. */
  public static TelemetrySwitches all() {
    return new TelemetrySwitches(true, true, true);
  }

  /**
   * Metrics alone, as {@code VIGIL_TELEMETRY=metrics}: no access log, no tracing (what the console
   * runs with).
   */
  public static TelemetrySwitches metricsOnly() {
    return new TelemetrySwitches(true, false, false);
  }

  /** Everything off, as {@code VIGIL_TELEMETRY=none}. */
  public static TelemetrySwitches none() {
    return new TelemetrySwitches(false, false, false);
  }

  /**
   * Parses a switch list.
   *
   * @param value {@code null} or blank (all on), {@code none}, or a comma list such as {@code
   *     metrics,access-log}
   * @return the switches
   * @throws IllegalArgumentException naming {@code VIGIL_TELEMETRY} and the accepted values when an
   *     element is unknown
   */
  public static TelemetrySwitches parse(String value) {
    if (value == null || value.isBlank()) {
      return all();
    }
    if (value.trim().equalsIgnoreCase("none")) {
      return none();
    }
    boolean metrics = false;
    boolean accessLog = false;
    boolean tracing = false;
    for (String part : value.split(",")) {
      switch (part.trim().toLowerCase(Locale.ROOT)) {
        case "metrics" -> metrics = true;
        case "access-log" -> accessLog = true;
        case "tracing" -> tracing = true;
        case "" -> {}
        default ->
            throw new IllegalArgumentException(
                VARIABLE
                    + "='"
                    + value
                    + "' has unknown element '"
                    + part.trim()
                    + "': use 'none' or a comma list of metrics, access-log, tracing "
                    + "(e.g. VIGIL_TELEMETRY=metrics,access-log)");
      }
    }
    return new TelemetrySwitches(metrics, accessLog, tracing);
  }
}
