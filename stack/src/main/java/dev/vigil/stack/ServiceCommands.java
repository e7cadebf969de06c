package dev.vigil.stack;

import dev.vigil.stack.process.ServiceProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command lines of the Java processes of the local stack, without the arguments and environment
 * each {@link Component} adds (ports, hosts, log files).
 *
 * @param catalog the catalog service, e.g. {@code java -jar vigil.jar catalog}; it gets VIGIL_HOST,
 *     VIGIL_PORT, VIGIL_DATA_DIR and VIGIL_PAYMENTS_URL
 * @param payments the payment provider, e.g. {@code java -jar vigil.jar payments}; it gets
 *     VIGIL_HOST, VIGIL_PAYMENTS_PORT and VIGIL_DATA_DIR
 * @param receiver the alert receiver; {@code --host}, {@code --port} and {@code --log} are appended
 * @param traceBackend the trace backend (Zipkin server's executable jar), e.g. {@code java -Xmx256m
 *     -jar zipkin-server-exec.jar}, or an empty list when this stack runs without one (services
 *     then keep tracing for logs and exemplars and export nothing); its listen address is appended
 * @param console the web console, e.g. {@code java -jar vigil.jar console}, or an empty list when
 *     this stack runs without it; {@code --host}, {@code --port}, {@code --prometheus}, {@code
 *     --notifications} and {@code --slos} are appended
 */
public record ServiceCommands(
    List<String> catalog,
    List<String> payments,
    List<String> receiver,
    List<String> traceBackend,
    List<String> console) {

  /**
   * JVM options of the stack's Java processes that serve little traffic (payment provider, alert
   * receiver, console, trace backend): the C1 compiler only, which brings a JVM up on a fraction of
   * the CPU the optimising compiler burns in its first minute; on a small machine the stack's JVMs
   * start together and compete for it. The catalog, which takes the load, keeps the full JIT.
   */
  public static final List<String> LIGHT_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1");

  /**
   * JVM options of the catalog, sized for a small service (a live heap of ~20 MiB): the serial
   * collector (none of G1's remembered sets and marking structures, ~40 MiB of RSS), compact object
   * headers (JDK 25, 4 bytes less per object), and a heap that starts at 64 MiB and may grow to 256
   * MiB (without them the JVM starts G1 at 1/64 of the machine's memory and may take a quarter).
   */
  public static final List<String> CATALOG_JVM_OPTIONS =
      List.of("-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders", "-Xms64m", "-Xmx256m");

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
    console = List.copyOf(console);
  }

  /**
   * The command lines of a stack without the console (tests of the stack and the drills).
   *
   * @param catalog the catalog service
   * @param payments the payment provider
   * @param receiver the alert receiver
   * @param traceBackend the trace backend, or an empty list
   * @throws IllegalArgumentException when the catalog, payments or receiver command is empty
   */
  public ServiceCommands(
      List<String> catalog,
      List<String> payments,
      List<String> receiver,
      List<String> traceBackend) {
    this(catalog, payments, receiver, traceBackend, List.of());
  }

  private static List<String> required(String name, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the " + name + " command line is empty");
    }
    return List.copyOf(command);
  }

  /**
   * The command lines of {@code vigil up}: this JVM's jar ({@code java -jar <copy>
   * catalog|payments|receiver|console}) and, when {@link StackLayout#traceBackendJar()} exists,
   * Zipkin server's jar. The services run from a copy of the jar named by its build time (see
   * {@link StackLayout#jarCopies()}), so a rebuild while the stack runs does not pull their classes
   * from under them.
   *
   * @param layout where the jar copy and the trace backend's jar live
   * @return the commands, or empty when this JVM does not run from a single jar (e.g. from an IDE)
   * @throws IOException when the jar cannot be copied
   */
  public static Optional<ServiceCommands> ofRunningJar(StackLayout layout) throws IOException {
    String classPath = System.getProperty("java.class.path");
    if (classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
      return Optional.empty();
    }
    Path jar = Path.of(classPath).toAbsolutePath();
    Path copy =
        layout.jarCopies().resolve("vigil-" + Files.getLastModifiedTime(jar).toMillis() + ".jar");
    if (!Files.exists(copy)) {
      Files.createDirectories(copy.getParent());
      Path partial = copy.resolveSibling(copy.getFileName() + ".partial");
      Files.copy(jar, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
    }
    List<String> vigil = List.of(ServiceProcess.java(), "-jar", copy.toString());
    Path zipkinJar = layout.traceBackendJar();
    return Optional.of(
        new ServiceCommands(
            append(withOptions(vigil, CATALOG_JVM_OPTIONS), "catalog"),
            lightJvm(append(vigil, "payments")),
            lightJvm(append(vigil, "receiver")),
            Files.isRegularFile(zipkinJar) ? traceBackend(zipkinJar) : List.of(),
            lightJvm(append(vigil, "console"))));
  }

  /**
   * A Java command line with {@link #LIGHT_JVM_OPTIONS} after the {@code java} executable.
   *
   * @param javaCommand e.g. {@code [java, -jar, vigil.jar, receiver]}
   * @return e.g. {@code [java, -XX:TieredStopAtLevel=1, -jar, vigil.jar, receiver]}
   */
  public static List<String> lightJvm(List<String> javaCommand) {
    return withOptions(javaCommand, LIGHT_JVM_OPTIONS);
  }

  private static List<String> withOptions(List<String> javaCommand, List<String> options) {
    List<String> out = new ArrayList<>(javaCommand.subList(0, 1));
    out.addAll(options);
    out.addAll(javaCommand.subList(1, javaCommand.size()));
    return out;
  }

  /**
   * The trace backend's command line: Zipkin server's executable jar with a 256 MiB heap and {@link
   * #LIGHT_JVM_OPTIONS}.
   *
   * @param zipkinJar {@code io.zipkin:zipkin-server:exec}, e.g. {@link
   *     StackLayout#traceBackendJar()}
   * @return {@code [java, -XX:TieredStopAtLevel=1, -Xmx256m, -jar, <zipkinJar>]}
   */
  public static List<String> traceBackend(Path zipkinJar) {
    return lightJvm(List.of(ServiceProcess.java(), "-Xmx256m", "-jar", zipkinJar.toString()));
  }

  private static List<String> append(List<String> command, String argument) {
    List<String> out = new ArrayList<>(command);
    out.add(argument);
    return out;
  }
}
