package dev.vigil.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The median, minimum and maximum of repeated measurements of one figure (e.g. requests/s of three
 * runs).
 *
 * @param median the middle value (mean of the two middle values for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many values
 */
public record Spread(double median, double min, double max, int count) {

  /**
   * Summarizes values.
   *
   * @param values one or more measurements, in any unit
   * @return their spread, in the same unit
   * @throws IllegalArgumentException when {@code values} is empty
   */
  public static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no measurements to summarize: run at least one round");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }

  /**
   * Formats as "median (min–max)".
   *
   * @param decimals digits after the decimal point
   * @return e.g. {@code "0.981 (0.975–0.990)"}; with one value only the value
   */
  public String format(int decimals) {
    String pattern = "%,." + decimals + "f";
    String mid = String.format(pattern, median);
    if (count == 1) {
      return mid;
    }
    return mid + " (" + String.format(pattern, min) + "–" + String.format(pattern, max) + ")";
  }
}
