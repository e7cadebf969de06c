package dev.vigil.slo.command;

import java.nio.file.Path;

/**
 * Where the local stack keeps its state, as the launcher and the stack module name it: {@code
 * $VIGIL_DATA_DIR}, or {@code .vigil} in the working directory (the checkout, under the launcher)
 * when unset. The slo commands read the stack's Prometheus data and write their saved reports here
 * without depending on the stack module.
 */
final class LocalState {

  private LocalState() {}

  /**
   * A path under the state directory.
   *
   * @param first the first name under it, e.g. {@code prometheus}
   * @param more further names
   * @return e.g. {@code .vigil/backtests}
   */
  static Path resolve(String first, String... more) {
    String dir = System.getenv("VIGIL_DATA_DIR");
    return Path.of(dir == null || dir.isBlank() ? ".vigil" : dir).resolve(Path.of(first, more));
  }
}
