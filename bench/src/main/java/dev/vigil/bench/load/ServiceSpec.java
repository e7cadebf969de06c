package dev.vigil.bench.load;

import java.util.List;
import java.util.Map;

/**
 * How to start one service configuration under test and how to tell that it is ready.
 *
 * @param configuration which configuration this is (its key names log files, its label the tables)
 * @param command the command line; the token {@link #PORT} is replaced by the port
 * @param environment extra environment variables; values may contain {@link #PORT}
 * @param readyPath the path that answers 200 once the service takes traffic, e.g. {@code /readyz}
 */
public record ServiceSpec(
    Configuration configuration,
    List<String> command,
    Map<String, String> environment,
    String readyPath) {

  /** Placeholder for the port in {@link #command} and {@link #environment}. */
  public static final String PORT = "{port}";

  /** The configuration's short name, e.g. {@code a}, for file names. */
  public String key() {
    return configuration.key();
  }

  /** The configuration's label, e.g. {@code (b) metrics}, for tables. */
  public String label() {
    return configuration.label();
  }

  /**
   * The command line for a port.
   *
   * @param port TCP port on 127.0.0.1
   * @return the command with {@link #PORT} replaced
   */
  List<String> commandFor(int port) {
    return command.stream().map(s -> s.replace(PORT, String.valueOf(port))).toList();
  }

  /**
   * The environment for a port.
   *
   * @param port TCP port on 127.0.0.1
   * @return the extra variables with {@link #PORT} replaced
   */
  Map<String, String> environmentFor(int port) {
    return environment.entrySet().stream()
        .collect(
            java.util.stream.Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().replace(PORT, String.valueOf(port))));
  }
}
