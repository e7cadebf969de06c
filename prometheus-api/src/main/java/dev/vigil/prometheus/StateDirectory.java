package dev.vigil.prometheus;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where vigil keeps local state (the stack's Prometheus data, logs, drill reports, saved backtests
 * and profiles, the services' databases): {@code $VIGIL_DATA_DIR}, or {@code .vigil} in the working
 * directory when unset or blank. The one place this default is computed; it lives in this leaf
 * module because every module that reads local state, the SLO commands included, depends on it.
 *
 * <pre>{@code
 * Path drills = StateDirectory.fromEnvironment().resolve("drills"); // .vigil/drills
 * }</pre>
 */
public final class StateDirectory {

  /** The environment variable naming the state directory. */
  public static final String VARIABLE = "VIGIL_DATA_DIR";

  /** The state directory when {@link #VARIABLE} is unset or blank, relative to the working one. */
  public static final String DEFAULT = ".vigil";

  private StateDirectory() {}

  /**
   * The state directory of the running process's environment.
   *
   * @return an absolute, normalised path; it may not exist yet
   */
  public static Path fromEnvironment() {
    return of(System.getenv());
  }

  /**
   * The state directory an environment names.
   *
   * @param env the variables, usually {@code System.getenv()}
   * @return {@code $VIGIL_DATA_DIR}, or {@code .vigil} when unset or blank; absolute and normalised
   */
  public static Path of(Map<String, String> env) {
    String value = env.get(VARIABLE);
    return Path.of(value == null || value.isBlank() ? DEFAULT : value.trim())
        .toAbsolutePath()
        .normalize();
  }
}
