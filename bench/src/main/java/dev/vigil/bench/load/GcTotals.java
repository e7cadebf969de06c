package dev.vigil.bench.load;

/**
 * Garbage collections of a JVM, summed over its collectors, from its performance counters.
 *
 * @param collections number of collections
 * @param seconds time spent in them, seconds
 */
public record GcTotals(long collections, double seconds) {

  /**
   * The difference to an earlier reading.
   *
   * @param before the earlier reading of the same JVM
   * @return collections and seconds between the two readings
   */
  public GcTotals minus(GcTotals before) {
    return new GcTotals(collections - before.collections, seconds - before.seconds);
  }
}
