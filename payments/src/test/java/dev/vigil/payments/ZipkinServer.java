package dev.vigil.payments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Zipkin server (the executable jar Maven copies to {@code target/zipkin/}) on a free
 * loopback port, for tests that read traces back through its API.
 */
public final class ZipkinServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(180);

  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private ZipkinServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Zipkin with in-memory storage and waits until {@code /health} says UP.
   *
   * @return the running server
   * @throws IllegalStateException naming the missing jar or the log to read when it does not start
   * @throws Exception when waiting is interrupted
   */
  public static ZipkinServer start() throws Exception {
    String jar = System.getProperty("zipkin.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "the Zipkin server jar is missing (system property zipkin.jar='"
              + jar
              + "'): run the tests through Maven, e.g. ./mvnw -B -pl payments -am verify, which copies "
              + "io.zipkin:zipkin-server:exec to target/zipkin/");
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Path.of(jar).resolveSibling("zipkin-" + port + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar,
                "--armeria.ports[0].ip=127.0.0.1",
                "--armeria.ports[0].port=" + port,
                "--logging.level.root=WARN"));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ZipkinServer server = new ZipkinServer(process, port, log);
    server.awaitHealthy();
    return server;
  }

  /** Where services send spans: {@code http://127.0.0.1:<port>/api/v2/spans}. */
  public String spansEndpoint() {
    return "http://127.0.0.1:" + port + "/api/v2/spans";
  }

  /**
   * Reads a trace, waiting until it has at least the expected number of spans (exporters send in
   * batches, a few hundred milliseconds apart).
   *
   * @param traceId 32 hex digits
   * @param spans how many spans to wait for
   * @return the spans as Zipkin v2 JSON (an array)
   * @throws AssertionError listing what arrived when fewer spans arrive within 30 seconds
   * @throws Exception when reading fails or waiting is interrupted
   */
  public JsonNode trace(String traceId, int spans) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    JsonNode last = JSON.createArrayNode();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/api/v2/trace/" + traceId))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        last = JSON.readTree(response.body());
        if (last.size() >= spans) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "trace "
            + traceId
            + " has "
            + last.size()
            + " spans in Zipkin, expected "
            + spans
            + ": "
            + last);
  }

  private void awaitHealthy() throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Zipkin exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200 && health.body().contains("UP")) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(250);
    }
    close();
    throw new IllegalStateException(
        "Zipkin did not become healthy within " + STARTUP.toSeconds() + " s; see " + log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
