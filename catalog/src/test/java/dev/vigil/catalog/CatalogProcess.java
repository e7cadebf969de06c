package dev.vigil.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A catalog started as a separate JVM with {@code dev.vigil.catalog.CatalogCommand}, its stdout kept. */
record CatalogProcess(Process process, List<String> lines, Thread reader, int port) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ProcessBuilder command(Map<String, String> env) {
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.vigil.catalog.CatalogCommand");
    builder.environment().put("VIGIL_PORT", "0");
    builder.environment().putAll(env);
    return builder;
  }

  static CatalogProcess start(Map<String, String> env) throws Exception {
    Process process = command(env).redirectErrorStream(true).start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // process ended
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      for (String line : lines) {
        if (line.contains("catalog listening on")) {
          int port = URI.create(JSON.readTree(line).get("url").asText()).getPort();
          return new CatalogProcess(process, lines, reader, port);
        }
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IllegalStateException("catalog did not start; output:\n" + String.join("\n", lines));
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
