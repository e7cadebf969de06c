package dev.vigil.telemetry.lifecycle;

import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in the foreground the way every {@code vigil <service>} command does: read the
 * configuration from the environment, start, stop gracefully on SIGTERM/SIGINT, and say how it went
 * in the exit code.
 */
public final class ForegroundRun {

  /** Exit code after a clean stop. */
  public static final int STOPPED = 0;

  /** Exit code when the service could not start (port taken, ...). */
  public static final int FAILED_TO_START = 1;

  /** Exit code for an invalid configuration. */
  public static final int INVALID_CONFIGURATION = 2;

  private static final Logger LOG = LoggerFactory.getLogger(ForegroundRun.class);

  private ForegroundRun() {}

  /**
   * Configures, starts and runs a service until it has stopped.
   *
   * @param name the service's name, prefixed to messages on stderr, e.g. {@code catalog}
   * @param env the environment, usually {@code System.getenv()}
   * @param configure reads the configuration; throws {@link IllegalArgumentException} naming the
   *     invalid variable
   * @param start starts the service; throws a {@link RuntimeException} when it cannot
   * @param <C> the configuration type
   * @return {@link #STOPPED}, {@link #FAILED_TO_START} or {@link #INVALID_CONFIGURATION}
   */
  public static <C> int run(
      String name,
      Map<String, String> env,
      Function<Map<String, String>, C> configure,
      Function<C, ? extends GracefulService> start) {
    C config;
    try {
      config = configure.apply(env);
    } catch (IllegalArgumentException e) {
      System.err.println(name + ": " + e.getMessage());
      return INVALID_CONFIGURATION;
    }
    GracefulService service;
    try {
      service = start.apply(config);
    } catch (RuntimeException e) {
      LOG.error("{} failed to start: {}", name, e.getMessage(), e);
      System.err.println(name + ": failed to start: " + e.getMessage());
      return FAILED_TO_START;
    }
    service.stopOnTerminationSignals();
    service.awaitStopped();
    return STOPPED;
  }
}
