package dev.vigil.slo.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Prometheus duration such as {@code 5m}, {@code 1h}, {@code 30d}: one integer and one unit (s, m, h, d,
 * w). Written back in the largest unit that divides it exactly, so {@code 60m} prints as {@code 1h}.
 *
 * @param seconds the length in seconds, strictly positive
 */
public record PromDuration(long seconds) implements Comparable<PromDuration> {

  private static final Pattern FORMAT = Pattern.compile("(\\d+)([smhdw])");

  /** Validates the length. @throws IllegalArgumentException when {@code seconds <= 0} */
  public PromDuration {
    if (seconds <= 0) {
      throw new IllegalArgumentException("a duration must be positive, got " + seconds + "s");
    }
  }

  /**
   * Parses {@code <integer><unit>} with unit s, m, h, d or w.
   *
   * @param text e.g. {@code "30d"}
   * @return the duration
   * @throws IllegalArgumentException when the text is not one integer followed by one unit
   */
  public static PromDuration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration: write an integer and one unit of s, m, h, d, w, e.g. 30d");
    }
    long n = Long.parseLong(m.group(1));
    long unit =
        switch (m.group(2)) {
          case "s" -> 1;
          case "m" -> 60;
          case "h" -> 3600;
          case "d" -> 86400;
          default -> 604800;
        };
    return new PromDuration(n * unit);
  }

  /** @param minutes a length in minutes, positive @return that duration */
  public static PromDuration ofMinutes(long minutes) {
    return new PromDuration(minutes * 60);
  }

  /** @return the length as a {@link Duration} */
  public Duration toDuration() {
    return Duration.ofSeconds(seconds);
  }

  /** @return the length in whole minutes (rounded down) */
  public long minutes() {
    return seconds / 60;
  }

  @Override
  public String toString() {
    if (seconds % 86400 == 0) {
      return seconds / 86400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  @Override
  public int compareTo(PromDuration o) {
    return Long.compare(seconds, o.seconds);
  }
}
