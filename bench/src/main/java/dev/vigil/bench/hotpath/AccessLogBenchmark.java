package dev.vigil.bench.hotpath;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.logging.AsyncLineWriter;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.composite.loggingevent.ArgumentsJsonProvider;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One access-log line per call, with the MDC of a traced request (request_id, trace_id, span_id),
 * written to a stream that discards the bytes, so the cost is the logging path and not the
 * terminal.
 *
 * <p>{@link #vigilAccessLog} is {@link AccessLog}: JSON formatted directly, handed to an {@link
 * AsyncLineWriter} that batches lines. {@link #logbackAsyncJson} is the path it replaced: SLF4J's
 * fluent builder with six key/values, logback's {@code AsyncAppender} (queue 8192, never
 * discarding) and logstash's composite JSON encoder with vigil's providers, an {@code
 * OutputStreamAppender} flushing each line. Results in ns/op (the caller's time; the writer threads
 * run on other cores); run with {@code -prof gc} for bytes/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogBenchmark {

  private AsyncLineWriter writer;
  private AccessLog accessLog;
  private AsyncAppender async;
  private Logger logbackAccess;

  /**
   * Per-thread walk through the request samples, with the MDC of a traced request set on the
   * thread.
   */
  @State(Scope.Thread)
  public static class Samples {
    final RequestSamples samples = new RequestSamples();

    /** Sets the request's MDC on the benchmark thread, as the request scope does. */
    @Setup
    public void mdc() {
      MDC.put("request_id", "7b20fb8067e15f7990d5630918b4d9d0");
      MDC.put("trace_id", "cba66496ac432a803518b139e610784e");
      MDC.put("span_id", "b4e7dd174c2e80f0");
    }
  }

  /** Builds both paths over streams that discard what they get. */
  @Setup
  public void start() {
    writer =
        new AsyncLineWriter(
            OutputStream.nullOutputStream(), AsyncLineWriter.DEFAULT_CAPACITY_BYTES, "bench-lines");
    accessLog = new AccessLog(writer);

    // the SLF4J-bound context, so events read the same MDC the request thread sets
    LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
    LoggingEventJsonProviders providers = new LoggingEventJsonProviders();
    LoggingEventFormattedTimestampJsonProvider timestamp =
        new LoggingEventFormattedTimestampJsonProvider();
    timestamp.setFieldName("timestamp");
    timestamp.setPattern("[ISO_INSTANT]");
    timestamp.setTimeZone("UTC");
    providers.addTimestamp(timestamp);
    LogLevelJsonProvider level = new LogLevelJsonProvider();
    level.setFieldName("level");
    providers.addLogLevel(level);
    LoggerNameJsonProvider loggerName = new LoggerNameJsonProvider();
    loggerName.setFieldName("logger");
    providers.addLoggerName(loggerName);
    MessageJsonProvider message = new MessageJsonProvider();
    message.setFieldName("message");
    providers.addMessage(message);
    LoggingEventThreadNameJsonProvider thread = new LoggingEventThreadNameJsonProvider();
    thread.setFieldName("thread");
    providers.addThreadName(thread);
    providers.addMdc(new MdcJsonProvider());
    providers.addKeyValuePairs(new KeyValuePairsJsonProvider());
    providers.addArguments(new ArgumentsJsonProvider());
    LoggingEventCompositeJsonEncoder encoder = new LoggingEventCompositeJsonEncoder();
    encoder.setContext(logback);
    encoder.setProviders(providers);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> json = new OutputStreamAppender<>();
    json.setContext(logback);
    json.setName("JSON");
    json.setEncoder(encoder);
    json.setOutputStream(OutputStream.nullOutputStream());
    json.start();
    async = new AsyncAppender();
    async.setContext(logback);
    async.setName("ASYNC");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.addAppender(json);
    async.start();
    logbackAccess = logback.getLogger("bench.http.access");
    logbackAccess.setAdditive(false);
    logbackAccess.addAppender(async);
  }

  /** Waits for both writers to drain, then stops them. */
  @TearDown
  public void stop() {
    writer.close();
    logbackAccess.detachAppender(async);
    async.stop();
  }

  /** vigil's access log: one line formatted straight as JSON into the batching writer. */
  @Benchmark
  public void vigilAccessLog(Samples s) {
    int i = s.samples.next();
    accessLog.record(
        "GET",
        s.samples.route[i],
        "/api/products/42",
        s.samples.status[i],
        s.samples.seconds[i] * 1000.0,
        84);
  }

  /** The replaced path: SLF4J fluent builder, logback AsyncAppender, logstash composite encoder. */
  @Benchmark
  public void logbackAsyncJson(Samples s) {
    int i = s.samples.next();
    logbackAccess
        .atInfo()
        .addKeyValue("method", "GET")
        .addKeyValue("endpoint", s.samples.route[i])
        .addKeyValue("path", "/api/products/42")
        .addKeyValue("status", s.samples.status[i])
        .addKeyValue("duration_ms", Math.round(s.samples.seconds[i] * 1000.0 * 1000.0) / 1000.0)
        .addKeyValue("bytes", 84L)
        .log("{} {} {}", "GET", "/api/products/42", s.samples.status[i]);
  }
}
