package dev.vigil.drills.stack;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration strings ({@code 1h30m}, {@code 5m}, {@code 10s}, {@code 500ms}), as used by rule
 * {@code for}, intervals and Alertmanager waits. Units: y (365 d), w, d, h, m, s, ms.
 * Source: Prometheus docs, "Configuration: duration".
 */
public final class PrometheusDuration {

  private static final Pattern FORMAT =
      Pattern.compile("((\\d+)y)?((\\d+)w)?((\\d+)d)?((\\d+)h)?((\\d+)m)?((\\d+)s)?((\\d+)ms)?");

  private PrometheusDuration() {}

  /**
   * Parses a Prometheus duration.
   *
   * @param text e.g. {@code 5m} or {@code 1h30m}
   * @return the duration
   * @throws IllegalArgumentException when the text is not a Prometheus duration
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.strip());
    if (text.isBlank() || !m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a Prometheus duration; write it like 30s, 5m or 1h30m");
    }
    return Duration.ofDays(365 * group(m, 2) + 7 * group(m, 4) + group(m, 6))
        .plusHours(group(m, 8))
        .plusMinutes(group(m, 10))
        .plusSeconds(group(m, 12))
        .plusMillis(group(m, 14));
  }

  /**
   * Formats whole seconds as a Prometheus duration, e.g. {@code 10s}.
   *
   * @param seconds at least 0
   * @return the duration text
   */
  public static String ofSeconds(long seconds) {
    return seconds + "s";
  }

  /**
   * Shortens a duration for a test profile: divided by {@code divisor} and rounded up to whole seconds,
   * but not below {@code floorSeconds}, and never longer than the original.
   *
   * @param text a Prometheus duration, e.g. {@code 5m}
   * @param divisor at least 1
   * @param floorSeconds the shortest result in seconds
   * @return the shortened duration text, e.g. {@code 10s} for {@code 5m / 30}
   * @throws IllegalArgumentException when the text is not a Prometheus duration
   */
  public static String shorten(String text, int divisor, int floorSeconds) {
    long originalSeconds = (parse(text).toMillis() + 999) / 1000;
    long divided = (originalSeconds + divisor - 1) / divisor;
    return ofSeconds(Math.max(divided, Math.min(floorSeconds, originalSeconds)));
  }

  private static long group(Matcher m, int index) {
    String g = m.group(index);
    return g == null ? 0 : Long.parseLong(g);
  }
}
