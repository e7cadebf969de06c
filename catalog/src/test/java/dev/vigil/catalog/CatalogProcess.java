package dev.vigil.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.stack.process.ServiceProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A catalog started as a separate JVM with {@code dev.vigil.catalog.CatalogCommand}, its stdout
 * kept.
 */
record CatalogProcess(Process process, List<String> lines, Thread reader, int port) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ProcessBuilder command(Map<String, String> env) {
    ProcessBuilder builder =
        new ProcessBuilder(ServiceProcess.javaCommand("dev.vigil.catalog.CatalogCommand"));
    builder.environment().put("VIGIL_PORT", "0");
    builder.environment().putAll(env);
    return builder;
  }

  static CatalogProcess start(Map<String, String> env) throws Exception {
    ServiceProcess service = ServiceProcess.start(command(env).redirectErrorStream(true));
    Process process = service.process();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(
                              process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                      lines.add(line);
                    }
                  } catch (IOException e) {
                    // process ended
                  }
                });
    ServiceProcess.Readiness started =
        service.awaitReady(() -> announcedPort(lines) > 0, Duration.ofSeconds(60));
    if (started == ServiceProcess.Readiness.READY) {
      return new CatalogProcess(process, lines, reader, announcedPort(lines));
    }
    process.destroyForcibly();
    throw new IllegalStateException("catalog did not start; output:\n" + String.join("\n", lines));
  }

  /**
   * The port of the "catalog listening on" line (the catalog binds port 0), or 0 before that line.
   */
  private static int announcedPort(List<String> lines) {
    for (String line : lines) {
      if (line.contains("catalog listening on")) {
        try {
          return URI.create(JSON.readTree(line).get("url").asText()).getPort();
        } catch (IOException e) {
          throw new IllegalStateException(
              "the catalog announced its URL in a line that is not JSON: " + line, e);
        }
      }
    }
    return 0;
  }

  /** The stdout lines as JSON, so far (the process may still run). */
  List<JsonNode> jsonLinesSoFar() throws IOException {
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      parsed.add(JSON.readTree(line));
    }
    return parsed;
  }

  /** Every stdout line as JSON, once the process has ended and its output is fully read. */
  List<JsonNode> jsonLines() throws IOException, InterruptedException {
    reader.join(Duration.ofSeconds(30));
    List<JsonNode> parsed = new ArrayList<>();
    for (String line : lines) {
      parsed.add(JSON.readTree(line));
    }
    return parsed;
  }

  String output() throws InterruptedException {
    reader.join(Duration.ofSeconds(30));
    return String.join("\n", lines);
  }
}
