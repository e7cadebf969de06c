package dev.vigil.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus duration such as {@code 5m}, {@code 1h30m}, {@code 2w} or {@code 500ms}, as rule
 * {@code for}, range selectors, scrape and evaluation intervals and Alertmanager waits write it.
 *
 * <p>{@link #parse} accepts exactly Prometheus' grammar: units y (365 days), w, d, h, m, s, ms,
 * each at most once and largest first, at least one of them, no sign, no spaces, no fractions;
 * {@code "0"} alone is also a duration; the total must fit in Go's {@code time.Duration} (about 292
 * years). Source: Prometheus docs, "Configuration: duration", and {@code ParseDuration} of {@code
 * prometheus/common/model}. The tests check this against what {@code promtool check rules} accepts
 * for the same strings.
 *
 * <p>{@link #toString()} writes the length in the largest one of d, h, m, s, ms that divides it
 * exactly, so {@code 60m} prints as {@code 1h} and {@code 1h30m} as {@code 90m}; both are valid
 * Prometheus durations.
 */
public final class PromDuration implements Comparable<PromDuration> {

  private static final Pattern FORMAT =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

  /** Milliseconds per unit of {@link #FORMAT}'s groups, in group order. */
  private static final long[] UNIT_MILLIS = {
    365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1
  };

  /** Go's time.Duration is an int64 of nanoseconds; Prometheus rejects longer durations. */
  private static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000;

  private final long millis;

  private PromDuration(long millis) {
    if (millis < 0 || millis > MAX_MILLIS) {
      throw new IllegalArgumentException(
          "a duration must be between 0 and " + MAX_MILLIS + " ms, got " + millis);
    }
    this.millis = millis;
  }

  /**
   * Parses a duration in Prometheus' grammar.
   *
   * @param text e.g. {@code "30d"}, {@code "1h30m"}, {@code "500ms"}, {@code "0"}
   * @return the duration (zero for {@code 0s} or {@code 0})
   * @throws IllegalArgumentException when the text is not a Prometheus duration (the message starts
   *     with {@code '<text>' is not a duration} and shows how to write one) or is longer than about
   *     292 years
   */
  public static PromDuration parse(String text) {
    if ("0".equals(text)) {
      return new PromDuration(0);
    }
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (text == null || text.isEmpty() || !m.matches()) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration: write integers with the units y, w,"
              + " d, h, m, s, ms, largest first, e.g. 30d, 5m or 1h30m");
    }
    long total = 0;
    try {
      for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
        String digits = m.group(unit + 1);
        if (digits != null) {
          total =
              Math.addExact(total, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[unit]));
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      total = -1;
    }
    if (total < 0 || total > MAX_MILLIS) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a duration Prometheus accepts: it is longer than"
              + " about 292 years ("
              + MAX_MILLIS
              + " ms)");
    }
    return new PromDuration(total);
  }

  /**
   * Parses a duration that must be longer than zero, e.g. an SLO period or an alert window.
   *
   * @param text a Prometheus duration, e.g. {@code "28d"}
   * @return the duration
   * @throws IllegalArgumentException when the text is not a Prometheus duration or is zero
   */
  public static PromDuration parsePositive(String text) {
    PromDuration d = parse(text);
    if (d.millis == 0) {
      throw new IllegalArgumentException("a duration must be positive, got " + text);
    }
    return d;
  }

  /**
   * A duration of whole seconds.
   *
   * @param seconds at least 0
   * @return that duration
   * @throws IllegalArgumentException when negative
   */
  public static PromDuration ofSeconds(long seconds) {
    return new PromDuration(Math.multiplyExact(seconds, 1000L));
  }

  /**
   * A duration of whole minutes.
   *
   * @param minutes at least 0
   * @return that duration
   * @throws IllegalArgumentException when negative
   */
  public static PromDuration ofMinutes(long minutes) {
    return ofSeconds(Math.multiplyExact(minutes, 60L));
  }

  /**
   * The length in milliseconds.
   *
   * @return at least 0
   */
  public long millis() {
    return millis;
  }

  /**
   * The length in whole seconds, rounded down ({@code 1500ms} is 1).
   *
   * @return at least 0
   */
  public long seconds() {
    return millis / 1000;
  }

  /**
   * The length in whole minutes, rounded down.
   *
   * @return at least 0
   */
  public long minutes() {
    return millis / 60_000;
  }

  /**
   * The length as a {@link Duration}.
   *
   * @return the same length
   */
  public Duration toDuration() {
    return Duration.ofMillis(millis);
  }

  /**
   * Shortens this duration for a test profile: divided by {@code divisor} and rounded up to whole
   * seconds, but not below {@code floorSeconds}, and never longer than this duration (rounded up to
   * whole seconds).
   *
   * @param divisor at least 1
   * @param floorSeconds the shortest result in seconds
   * @return e.g. {@code 10s} for {@code 5m} divided by 30, {@code 20s} for {@code 10m}
   */
  public PromDuration shorten(int divisor, int floorSeconds) {
    long originalSeconds = (millis + 999) / 1000;
    long divided = (originalSeconds + divisor - 1) / divisor;
    return ofSeconds(Math.max(divided, Math.min(floorSeconds, originalSeconds)));
  }

  /**
   * The duration in Prometheus' grammar, in the largest unit of d, h, m, s, ms that divides it
   * exactly.
   *
   * @return e.g. {@code 30d}, {@code 1h}, {@code 90m}, {@code 0s}
   */
  @Override
  public String toString() {
    if (millis == 0) {
      return "0s";
    }
    if (millis % 86_400_000 == 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromDuration other && other.millis == millis;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(millis);
  }

  @Override
  public int compareTo(PromDuration o) {
    return Long.compare(millis, o.millis);
  }
}
