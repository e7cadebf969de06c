package dev.vigil.bench.hotpath;

/**
 * A fixed, repeating sequence of request outcomes fed to every hot-path benchmark, so that each one
 * records the same mix: route, status and duration vary, and nothing is computed or drawn at random
 * on the measured path. The arrays are filled once; a benchmark walks them with {@link #next()}.
 */
final class RequestSamples {

  /** Route templates of the catalog, as recorded in the {@code endpoint} label. */
  static final String[] ROUTES = {"/api/products/{id}", "/", "/api/products", "/api/orders/{id}"};

  private static final int[] STATUS_CYCLE = {200, 200, 200, 200, 200, 200, 200, 404, 200, 500};

  private static final double[] SECONDS_CYCLE = {
    0.0004, 0.0011, 0.0023, 0.0061, 0.0009, 0.013, 0.0017, 0.031, 0.0006, 0.0042, 0.08, 0.0015, 0.6
  };

  private static final int LENGTH = 1024;

  /** Route template of each sample. */
  final String[] route = new String[LENGTH];

  /** HTTP status code of each sample. */
  final int[] status = new int[LENGTH];

  /** Status code of each sample as the label text, e.g. "200". */
  final String[] statusText = new String[LENGTH];

  /** Request duration of each sample, in seconds (0.0004 .. 0.6). */
  final double[] seconds = new double[LENGTH];

  /** Request duration of each sample, in nanoseconds. */
  final long[] nanos = new long[LENGTH];

  private int cursor;

  /** Fills the sequence; the lengths of the cycles are coprime-ish, so combinations rotate. */
  RequestSamples() {
    for (int i = 0; i < LENGTH; i++) {
      route[i] = ROUTES[i % ROUTES.length];
      status[i] = STATUS_CYCLE[i % STATUS_CYCLE.length];
      statusText[i] = String.valueOf(status[i]);
      seconds[i] = SECONDS_CYCLE[i % SECONDS_CYCLE.length];
      nanos[i] = (long) (seconds[i] * 1e9);
    }
  }

  /**
   * Advances to the next sample.
   *
   * @return the index of the sample to record, 0..1023
   */
  int next() {
    cursor = (cursor + 1) & (LENGTH - 1);
    return cursor;
  }
}
