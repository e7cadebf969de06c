package dev.vigil.stack;

import java.util.List;

/**
 * The command lines of the Java processes of the local stack, without the options {@link LocalStack}
 * adds (ports, hosts, log files, environment).
 *
 * @param catalog the catalog service, e.g. {@code java -jar vigil.jar catalog}; it gets VIGIL_HOST,
 *     VIGIL_PORT, VIGIL_DATA_DIR and VIGIL_PAYMENTS_URL
 * @param payments the payment provider, e.g. {@code java -jar vigil.jar payments}; it gets VIGIL_HOST and
 *     VIGIL_PAYMENTS_PORT
 * @param receiver the alert receiver; {@code --host}, {@code --port} and {@code --log} are appended
 * @param traceBackend the trace backend (Zipkin server's executable jar), e.g. {@code java -Xmx256m -jar
 *     zipkin-server-exec.jar}, or an empty list when this stack runs without one (services then keep
 *     tracing for logs and exemplars and export nothing); its listen address is appended
 */
public record ServiceCommands(
    List<String> catalog, List<String> payments, List<String> receiver, List<String> traceBackend) {

  /**
   * Copies the lists.
   *
   * @throws IllegalArgumentException when the catalog, payments or receiver command is empty
   */
  public ServiceCommands {
    catalog = required("catalog", catalog);
    payments = required("payments", payments);
    receiver = required("receiver", receiver);
    traceBackend = List.copyOf(traceBackend);
  }

  private static List<String> required(String name, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the " + name + " command line is empty");
    }
    return List.copyOf(command);
  }
}
