package dev.vigil.stack;

/**
 * One process of a {@link Component}: the component itself when the topology runs it once, or one
 * of its replicas ({@code catalog-1}, {@code catalog-2}).
 *
 * @param component the component
 * @param number 1-based replica number
 * @param count how many replicas of the component the topology runs
 */
public record Replica(Component component, int number, int count) {

  /**
   * Checks the numbers.
   *
   * @throws IllegalArgumentException when {@code number} is not within 1..count
   */
  public Replica {
    if (number < 1 || number > count) {
      throw new IllegalArgumentException(
          "replica " + number + " of " + component.id() + " is outside 1.." + count);
    }
  }

  /**
   * The name in pid and log file names and in {@code vigil status}.
   *
   * @return the component id when it runs once ({@code vmagent}), else {@code <id>-<number>}
   *     ({@code vmagent-2})
   */
  public String id() {
    return count == 1 ? component.id() : component.id() + "-" + number;
  }

  /**
   * The 0-based member number, as vmagent's {@code -promscrape.cluster.memberNum} takes it.
   *
   * @return {@code number - 1}
   */
  public int index() {
    return number - 1;
  }
}
