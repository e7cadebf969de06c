package dev.vigil.telemetry.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.time.Duration;

/**
 * The logback appender of every service log line: encodes each event with its encoder (vigil's JSON
 * layout, see {@code logback.xml}) on the logging thread and hands the bytes to an {@link
 * AsyncLineWriter}, by default the process's shared stdout writer that the access log also uses.
 * Encoding on the logging thread reads its MDC directly, so events need no copy for a hand-off.
 *
 * <p>On stop (logback's shutdown hook) it waits up to {@code maxFlushTime} milliseconds (default
 * 10,000) for the pending lines, which tell why the process stopped.
 */
public final class StdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  private final AsyncLineWriter writer;
  private Encoder<ILoggingEvent> encoder;
  private Duration maxFlushTime = Duration.ofSeconds(10);

  /**
   * An appender writing to {@link AsyncLineWriter#stdout()}, as configured in {@code logback.xml}.
   */
  public StdoutAppender() {
    this(AsyncLineWriter.stdout());
  }

  /**
   * An appender writing to the given writer.
   *
   * @param writer where encoded events go
   */
  public StdoutAppender(AsyncLineWriter writer) {
    this.writer = writer;
  }

  /**
   * Sets the encoder that turns an event into one line of bytes ending with a newline.
   *
   * @param encoder e.g. logstash's {@code LoggingEventCompositeJsonEncoder}, started before this
   *     appender
   */
  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  /**
   * Sets the longest wait for pending lines when the appender stops.
   *
   * @param millis milliseconds, at least 0
   */
  public void setMaxFlushTime(int millis) {
    this.maxFlushTime = Duration.ofMillis(Math.max(0, millis));
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for the appender \"" + name + "\": add an <encoder> element to it");
      return;
    }
    super.start();
  }

  @Override
  public void stop() {
    super.stop();
    if (!writer.flush(maxFlushTime)) {
      addWarn(
          "log lines still pending after " + maxFlushTime.toMillis() + " ms were not waited for");
    }
  }

  @Override
  protected void append(ILoggingEvent event) {
    writer.writeLines(encoder.encode(event));
  }
}
