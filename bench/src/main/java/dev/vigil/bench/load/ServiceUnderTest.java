package dev.vigil.bench.load;

import dev.vigil.stack.process.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service under test running as its own JVM: started with its stdout and stderr going to a log
 * file (the access log is real I/O, not /dev/null), timed from process start to the first 200 of
 * its readiness path, inspected through /proc and jcmd, and stopped.
 */
final class ServiceUnderTest implements AutoCloseable {

  /**
   * The "used" of each heap or generation line of {@code GC.heap_info} (lines that start in column
   * 0; the indented ones are its spaces): one line for G1, young and old generation for the serial
   * and parallel collectors.
   */
  private static final Pattern HEAP_USED =
      Pattern.compile("^(?!Metaspace|class space)\\S[^\\n]*?used (\\d+)K", Pattern.MULTILINE);

  private static final Pattern GC_TIME =
      Pattern.compile("sun\\.gc\\.collector\\.\\d+\\.time=(\\d+)");
  private static final Pattern GC_COUNT =
      Pattern.compile("sun\\.gc\\.collector\\.\\d+\\.invocations=(\\d+)");
  private static final Pattern HRT = Pattern.compile("sun\\.os\\.hrt\\.frequency=(\\d+)");

  private final ServiceSpec spec;
  private final ServiceProcess service;
  private final int port;
  private final Path jcmd;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofMillis(500))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private ServiceUnderTest(ServiceSpec spec, ServiceProcess service, int port, Path jcmd) {
    this.spec = spec;
    this.service = service;
    this.port = port;
    this.jcmd = jcmd;
  }

  /**
   * Starts a service on a free loopback port.
   *
   * @param spec what to start
   * @param log file receiving the service's stdout and stderr (truncated first)
   * @param jcmd the jcmd of the JDK that runs the services
   * @return the running process; call {@link #awaitReady(Duration)} next
   * @throws IllegalStateException when the process cannot be started
   */
  static ServiceUnderTest start(ServiceSpec spec, Path log, Path jcmd) {
    int port = freePort();
    ProcessBuilder builder = new ProcessBuilder(spec.commandFor(port));
    // Only the spec configures the service: drop vigil, OpenTelemetry and database settings
    // inherited
    // from the shell that started the bench.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("VIGIL_")
                    || name.startsWith("OTEL_")
                    || name.startsWith("DB_")
                    || name.equals("LOG_LEVEL")
                    || name.startsWith("SERVER_")
                    || name.startsWith("SPRING_"));
    builder.environment().putAll(spec.environmentFor(port));
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    try {
      Files.createDirectories(log.getParent());
      return new ServiceUnderTest(spec, ServiceProcess.start(builder), port, jcmd);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + spec.label() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the readiness path answers 200.
   *
   * @param timeout how long to wait at most, from the process start
   * @return time from process start to ready
   * @throws IllegalStateException when the process exits or the timeout passes (see its log)
   */
  Duration awaitReady(Duration timeout) {
    ServiceProcess.Readiness outcome;
    try {
      outcome = service.awaitReady(url(spec.readyPath()), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + spec.label(), e);
    }
    return switch (outcome) {
      case READY -> service.sinceStart();
      case EXITED ->
          throw new IllegalStateException(
              spec.label()
                  + " exited with "
                  + service.process().exitValue()
                  + " before it was ready: see its log");
      case TIMED_OUT ->
          throw new IllegalStateException(
              spec.label() + " was not ready within " + timeout + ": see its log");
    };
  }

  /**
   * A URL of this service.
   *
   * @param path absolute path, e.g. {@code /api/products/42}
   * @return {@code http://127.0.0.1:PORT/path}
   */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /**
   * Fetches a path once.
   *
   * @param path absolute path
   * @return the response body
   * @throws IllegalStateException when the request fails
   */
  String get(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new IllegalStateException(
          "GET " + path + " on " + spec.label() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Whether a response carries a header, e.g. the trace id header of a traced request.
   *
   * @param path absolute path
   * @param header header name, case-insensitive
   * @return {@code true} when the response to {@code GET path} has the header
   * @throws IllegalStateException when the request fails
   */
  boolean answersWithHeader(String path, String header) {
    try {
      return http.send(
              HttpRequest.newBuilder(url(path)).build(), HttpResponse.BodyHandlers.discarding())
          .headers()
          .firstValue(header)
          .isPresent();
    } catch (IOException e) {
      throw new IllegalStateException(
          "GET " + path + " on " + spec.label() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * @return the operating-system process id
   */
  long pid() {
    return service.process().pid();
  }

  /**
   * @return the configuration this process runs
   */
  ServiceSpec spec() {
    return spec;
  }

  /**
   * Heap in use after a full collection (System.gc() through jcmd), i.e. live data.
   *
   * @return used heap in KiB
   * @throws IllegalStateException when jcmd fails
   */
  long heapUsedAfterFullGcKib() {
    jcmd("GC.run");
    return heapUsedKib(jcmd("GC.heap_info"));
  }

  /**
   * The heap in use that {@code jcmd GC.heap_info} reports, summed over the generations.
   *
   * @param heapInfo what {@code jcmd <pid> GC.heap_info} printed
   * @return used heap in KiB
   * @throws IllegalStateException when it names no heap in use
   */
  static long heapUsedKib(String heapInfo) {
    Matcher m = HEAP_USED.matcher(heapInfo);
    long used = 0;
    boolean found = false;
    while (m.find()) {
      used += Long.parseLong(m.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalStateException("jcmd GC.heap_info printed no 'used ...K':\n" + heapInfo);
    }
    return used;
  }

  /**
   * Garbage-collection pauses so far, from the JVM's performance counters.
   *
   * @return collections and seconds spent in them since start, summed over all collectors
   */
  GcTotals gcTotals() {
    String counters = jcmd("PerfCounter.print");
    Matcher hrt = HRT.matcher(counters);
    double frequency = hrt.find() ? Double.parseDouble(hrt.group(1)) : 1e9;
    long ticks = 0;
    Matcher time = GC_TIME.matcher(counters);
    while (time.find()) {
      ticks += Long.parseLong(time.group(1));
    }
    long count = 0;
    Matcher invocations = GC_COUNT.matcher(counters);
    while (invocations.find()) {
      count += Long.parseLong(invocations.group(1));
    }
    return new GcTotals(count, ticks / frequency);
  }

  private String jcmd(String command) {
    try {
      Process p =
          new ProcessBuilder(List.of(jcmd.toString(), String.valueOf(pid()), command))
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            "jcmd " + command + " failed on " + spec.label() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + jcmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the service (SIGTERM, then SIGKILL after 15 s) and waits for it to exit. */
  @Override
  public void close() {
    service.close();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free TCP port on loopback", e);
    }
  }
}
