package dev.vigil.telemetry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Access-log lines: vigil's JSON layout, the request's MDC, JSON escaping, and the logger's level.
 */
class AccessLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> lines = new ArrayList<>();
  private final AccessLog accessLog = new AccessLog(line -> lines.add(line.toString()));

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void aLineHasVigilsLogFieldsInOrderThenTheRequestsMdcAndTheAccessFields() throws Exception {
    MDC.put(RequestIds.MDC_KEY, "req-1");
    MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    Instant before = Instant.now();

    accessLog.record("GET", "/items/{id}", "/items/3", 200, 2.5417, 84);

    assertThat(lines).hasSize(1);
    JsonNode line = JSON.readTree(lines.get(0));
    List<String> names = new ArrayList<>();
    line.fieldNames().forEachRemaining(names::add);
    assertThat(names.subList(0, 5))
        .containsExactly("timestamp", "level", "logger", "message", "thread");
    assertThat(names.subList(5, 7)).containsExactlyInAnyOrder(RequestIds.MDC_KEY, "trace_id");
    assertThat(names.subList(7, names.size()))
        .containsExactly("method", "endpoint", "path", "status", "duration_ms", "bytes");
    assertThat(Instant.parse(line.get("timestamp").asText())).isBetween(before, Instant.now());
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("logger").asText()).isEqualTo("http.access");
    assertThat(line.get("message").asText()).isEqualTo("GET /items/3 200");
    assertThat(line.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(line.get(RequestIds.MDC_KEY).asText()).isEqualTo("req-1");
    assertThat(line.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(line.get("endpoint").asText()).isEqualTo("/items/{id}");
    assertThat(line.get("status").isInt()).isTrue();
    assertThat(line.get("status").asInt()).isEqualTo(200);
    assertThat(line.get("duration_ms").asDouble()).isEqualTo(2.542);
    assertThat(line.get("bytes").asLong()).isEqualTo(84);
  }

  @Test
  void aLineIsWhatLogbacksConfiguredJsonEncoderWritesForTheSameEventButTheTimestamp()
      throws Exception {
    MDC.put(RequestIds.MDC_KEY, "req-2");
    MDC.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    MDC.put("span_id", "00f067aa0ba902b7");
    String path = "/api/orders/\"x\u00e9";

    accessLog.record("POST", "/api/orders/{id}", path, 201, 12.3456, 99);
    String logbackLine =
        logbackStdoutLine(
            () ->
                LoggerFactory.getLogger(AccessLog.LOGGER)
                    .atInfo()
                    .addKeyValue("method", "POST")
                    .addKeyValue("endpoint", "/api/orders/{id}")
                    .addKeyValue("path", path)
                    .addKeyValue("status", 201)
                    .addKeyValue("duration_ms", 12.346)
                    .addKeyValue("bytes", 99L)
                    .log("{} {} {}", "POST", path, 201));

    ObjectNode ours = (ObjectNode) JSON.readTree(lines.get(0));
    ObjectNode logbacks = (ObjectNode) JSON.readTree(logbackLine);
    List<String> ourNames = new ArrayList<>();
    ours.fieldNames().forEachRemaining(ourNames::add);
    List<String> logbackNames = new ArrayList<>();
    logbacks.fieldNames().forEachRemaining(logbackNames::add);
    assertThat(ourNames).isEqualTo(logbackNames);
    ours.remove("timestamp");
    logbacks.remove("timestamp");
    assertThat(ours).isEqualTo(logbacks);
  }

  @Test
  void stringsAreEscapedAsJacksonEscapesThem() throws Exception {
    String path =
        "/a\"quote/back\\slash/new\nline/tab\t/bell\u0007/caf\u00e9/\u65e5\u672c/\ud83d\ude00";

    accessLog.record("GET", "NOT_FOUND", path, 404, 0.1, -1);

    JsonNode line = JSON.readTree(lines.get(0));
    assertThat(line.get("path").asText()).isEqualTo(path);
    assertThat(line.get("message").asText()).isEqualTo("GET " + path + " 404");
    assertThat(lines.get(0))
        .contains("\"path\":" + JSON.writeValueAsString(path))
        .doesNotContain("\n");
  }

  @Test
  void nonAsciiSurvivesTheTripThroughALineWriterAsUtf8() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String path = "/caf\u00e9/\u65e5\u672c/\ud83d\ude00";
    try (AsyncLineWriter writer = new AsyncLineWriter(out, 4096, "test-writer")) {
      new AccessLog(writer).record("GET", "NOT_FOUND", path, 404, 1.0, 0);
      assertThat(writer.flush(Duration.ofSeconds(10))).isTrue();
    }

    String written = out.toString(StandardCharsets.UTF_8);
    assertThat(written).endsWith("}\n");
    assertThat(JSON.readTree(written).get("path").asText()).isEqualTo(path);
  }

  @Test
  void theHttpAccessLoggersLevelTurnsLinesOff() {
    Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    Level configured = logger.getLevel();
    logger.setLevel(Level.WARN);
    try {
      accessLog.record("GET", "/items/{id}", "/items/3", 200, 1.0, 10);
    } finally {
      logger.setLevel(configured);
    }
    accessLog.record("GET", "/items/{id}", "/items/4", 200, 1.0, 10);

    assertThat(lines).singleElement().asString().contains("\"path\":\"/items/4\"");
  }

  /**
   * The line logback's configuration ({@code logback.xml}) writes to stdout while {@code logging}
   * runs.
   */
  private static String logbackStdoutLine(Runnable logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      logging.run();
      AsyncLineWriter.stdout().flush(Duration.ofSeconds(10));
    } finally {
      System.setOut(original);
    }
    return captured
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.contains("\"logger\":\"" + AccessLog.LOGGER + "\""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("logback wrote no access line: " + captured));
  }

  @Test
  void timestampsAreWrittenAsIsoInstantWritesThem() {
    for (Instant instant :
        List.of(
            Instant.parse("2026-11-21T21:23:02Z"),
            Instant.parse("2026-11-21T21:23:02.500Z"),
            Instant.parse("2026-11-21T21:23:02.000120Z"),
            Instant.parse("1999-12-31T23:59:59.987654321Z"),
            Instant.parse("2026-01-01T00:00:00.000000001Z"))) {
      StringBuilder out = new StringBuilder();
      AccessLog.appendInstant(out, instant);
      assertThat(out.toString()).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
    }
  }

  @Test
  void durationsAreWrittenAsTheRoundedDoubleWrites() {
    double[] samples = {
      0,
      0.0004,
      0.0005,
      0.001,
      0.01,
      0.1,
      0.5,
      1,
      2.5,
      2.541,
      2.5409,
      9.999,
      9.9996,
      10.05,
      123.456,
      999.9999,
      1000,
      65_535.007,
      9_999_999.999,
      10_000_000,
      12_345_678.9,
      -1,
      -0.0004,
      Double.NaN,
      Double.POSITIVE_INFINITY
    };
    java.util.SplittableRandom random = new java.util.SplittableRandom(25);
    List<Double> values = new ArrayList<>();
    for (double sample : samples) {
      values.add(sample);
    }
    for (int i = 0; i < 100_000; i++) {
      values.add(random.nextDouble() * Math.pow(10, random.nextInt(-4, 8)));
    }
    for (double ms : values) {
      StringBuilder written = new StringBuilder();
      AccessLog.appendMillis(written, ms);
      assertThat(written.toString())
          .as("duration %s", ms)
          .isEqualTo(String.valueOf(Math.round(ms * 1000.0) / 1000.0));
    }
  }

  @Test
  void aPooledBuilderComesBackEmpty() {
    AccessLog.BuilderPool pool = new AccessLog.BuilderPool();
    StringBuilder first = pool.take();
    first.append("a line");
    pool.give(first);
    StringBuilder again = pool.take();
    assertThat(again).isSameAs(first);
    assertThat(again.length()).isZero();
  }
}
