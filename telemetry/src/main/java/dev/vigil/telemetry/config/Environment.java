package dev.vigil.telemetry.config;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.telemetry.TelemetrySwitches;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

/**
 * Reads a service's settings from environment variables (12-factor), each with a documented default
 * and a checked range. Every invalid value fails with the same message shape, naming the variable,
 * its value and what is accepted: {@code invalid configuration: VIGIL_PORT='x' is not accepted;
 * expected an integer from 0 to 65535 (default 8000)}.
 */
public final class Environment {

  private final Map<String, String> env;

  /**
   * @param env the variables, usually {@code System.getenv()}
   */
  public Environment(Map<String, String> env) {
    this.env = env;
  }

  /**
   * The variables themselves, for a setting read through another class (e.g. {@code
   * StateDirectory.of}).
   *
   * @return the map given at construction, unmodified
   */
  public Map<String, String> variables() {
    return env;
  }

  /**
   * A variable's trimmed value.
   *
   * @param name the variable
   * @return its value, or {@code null} when unset or blank
   */
  public String text(String name) {
    String raw = env.get(name);
    return raw == null || raw.isBlank() ? null : raw.trim();
  }

  /**
   * A variable's trimmed value, or a default.
   *
   * @param name the variable
   * @param defaultValue used when the variable is unset or blank
   * @return the value
   */
  public String text(String name, String defaultValue) {
    String value = text(name);
    return value == null ? defaultValue : value;
  }

  /**
   * An integer within a range.
   *
   * @param name the variable
   * @param defaultValue used when the variable is unset or blank
   * @param min smallest accepted value
   * @param max largest accepted value
   * @return the value
   * @throws IllegalArgumentException when the value is not an integer from {@code min} to {@code
   *     max}
   */
  public int integer(String name, int defaultValue, int min, int max) {
    String raw = text(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(
        name, raw, "an integer from " + min + " to " + max + " (default " + defaultValue + ")");
  }

  /**
   * A ratio from 0 to 1.
   *
   * @param name the variable
   * @param defaultValue used when the variable is unset or blank, 0..1
   * @return the value, 0..1
   * @throws IllegalArgumentException when the value is not a number from 0 to 1
   */
  public double ratio(String name, double defaultValue) {
    String raw = text(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      double value = Double.parseDouble(raw);
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(name, raw, "a ratio from 0 to 1, such as 0.25 (default " + defaultValue + ")");
  }

  /**
   * A duration in Prometheus' grammar ({@link PromDuration}: units y, w, d, h, m, s, ms, largest
   * first), such as {@code 250ms}, {@code 2s}, {@code 1m} or {@code 1h30m}.
   *
   * @param name the variable
   * @param defaultValue used when the variable is unset or blank, in the same notation
   * @return the duration
   * @throws IllegalArgumentException when the value is not a Prometheus duration
   */
  public Duration duration(String name, String defaultValue) {
    String raw = text(name);
    try {
      return PromDuration.parse(raw == null ? defaultValue : raw).toDuration();
    } catch (IllegalArgumentException e) {
      throw invalid(
          name,
          raw,
          "a Prometheus duration such as 250ms or 2s (also 1m, 1h30m: units y w d h m s ms, largest"
              + " first; default "
              + defaultValue
              + ")");
    }
  }

  /**
   * An absolute http(s) URL, without a trailing slash.
   *
   * @param name the variable
   * @param defaultValue used when the variable is unset or blank
   * @return the URL
   * @throws IllegalArgumentException when the value is not an http or https URL with a host
   */
  public URI url(String name, String defaultValue) {
    String raw = text(name);
    String value = raw == null ? defaultValue : raw;
    try {
      URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw invalid(name, raw, "an http(s) URL such as " + defaultValue);
  }

  /**
   * The instrumentation switches of {@link TelemetrySwitches#VARIABLE}.
   *
   * @return the switches, all on by default
   * @throws IllegalArgumentException when the variable names an unknown switch
   */
  public TelemetrySwitches telemetrySwitches() {
    try {
      return TelemetrySwitches.parse(env.get(TelemetrySwitches.VARIABLE));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The error for a value that is not accepted.
   *
   * @param name the variable
   * @param value the value found
   * @param accepted what would be accepted, e.g. {@code "one of TRACE, DEBUG, INFO, WARN, ERROR"}
   * @return an exception whose message names all three
   */
  public static IllegalArgumentException invalid(String name, String value, String accepted) {
    return new IllegalArgumentException(
        "invalid configuration: "
            + name
            + "='"
            + UrlSecrets.mask(value)
            + "' is not accepted; expected "
            + accepted);
  }
}
