package dev.vigil.telemetry.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The batching line writer: whole lines, none lost, each thread's order kept, flushed on close. */
class AsyncLineWriterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void manyThreadsWritingAtOnceProduceOnlyWholeLinesInEachThreadsOrderAndLoseNone()
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int writers = 16;
    int linesEach = 1_000;
    // a small buffer (~80 lines), so writers often wait for the writer thread instead of lines
    // being dropped
    try (AsyncLineWriter writer = new AsyncLineWriter(out, 8192, "test-writer");
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int w = 0; w < writers; w++) {
        int id = w;
        threads.submit(
            () -> {
              for (int i = 0; i < linesEach; i++) {
                if (i % 2 == 0) {
                  writer.writeLine(
                      "{\"writer\":"
                          + id
                          + ",\"seq\":"
                          + i
                          + ",\"pad\":\""
                          + "x".repeat(i % 300)
                          + "\"}");
                } else {
                  writer.writeLines(
                      ("{\"writer\":" + id + ",\"seq\":" + i + "}\n")
                          .getBytes(StandardCharsets.UTF_8));
                }
              }
            });
      }
      threads.close();
      assertThat(writer.flush(Duration.ofSeconds(30))).isTrue();
    }

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(writers * linesEach);
    Map<Integer, Integer> next = new HashMap<>();
    for (String text : lines) {
      JsonNode line = JSON.readTree(text);
      int writer = line.get("writer").asInt();
      assertThat(line.get("seq").asInt())
          .as("order of writer %d", writer)
          .isEqualTo(next.getOrDefault(writer, 0));
      next.put(writer, line.get("seq").asInt() + 1);
    }
  }

  @Test
  void aLineLongerThanTheBufferIsWrittenWhole() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String longLine = "y".repeat(10_000);
    try (AsyncLineWriter writer = new AsyncLineWriter(out, 1024, "test-writer")) {
      writer.writeLine("first");
      writer.writeLine(longLine);
      writer.writeLine("last");
    }

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("first", longLine, "last");
  }

  @Test
  void closingWritesWhatIsPendingAndRefusesLaterLines() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncLineWriter writer = new AsyncLineWriter(out, 1024, "test-writer");
    for (int i = 0; i < 500; i++) {
      writer.writeLine("line " + i);
    }

    writer.close();

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(500).endsWith("line 499");
    assertThatThrownBy(() -> writer.writeLine("too late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aCapacityBelowOneKibibyteIsRefused() {
    assertThatThrownBy(() -> new AsyncLineWriter(new ByteArrayOutputStream(), 100, "test-writer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1024");
  }
}
