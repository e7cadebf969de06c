package dev.vigil.telemetry.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Logback events through the shared line writer: encoded whole, and all written by the time logback
 * stops.
 */
class StdoutAppenderTest {

  @Test
  void stoppingLogbackWritesEveryPendingLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AsyncLineWriter writer = new AsyncLineWriter(out, 1024, "test-writer");
    LoggerContext context = new LoggerContext();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%level %logger %msg%n");
    encoder.start();
    StdoutAppender appender = new StdoutAppender(writer);
    appender.setContext(context);
    appender.setName("STDOUT");
    appender.setEncoder(encoder);
    appender.start();
    Logger logger = context.getLogger("shop");
    logger.addAppender(appender);

    IntStream.range(0, 1_000).forEach(i -> logger.info("event {}", i));
    logger.warn("shutting down");
    context.stop(); // what logback's shutdown hook does

    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .hasSize(1_001)
        .startsWith("INFO shop event 0")
        .endsWith("WARN shop shutting down");
    writer.close();
  }

  @Test
  void anAppenderWithoutEncoderDoesNotStart() {
    try (AsyncLineWriter writer =
        new AsyncLineWriter(new ByteArrayOutputStream(), 1024, "test-writer")) {
      StdoutAppender appender = new StdoutAppender(writer);
      appender.setContext(new LoggerContext());
      appender.start();

      assertThat(appender.isStarted()).isFalse();
    }
  }
}
