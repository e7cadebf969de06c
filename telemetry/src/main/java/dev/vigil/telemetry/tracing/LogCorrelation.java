package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * Puts the current span's ids into the logging MDC, so that every log line written inside a span
 * carries {@code trace_id} (32 hex digits) and {@code span_id} (16 hex digits), the fields vigil's
 * JSON log layout and Grafana's Loki derived field read.
 */
public final class LogCorrelation {

  /** The MDC key (and JSON log field) of the trace id. */
  public static final String TRACE_ID = "trace_id";

  /** The MDC key (and JSON log field) of the span id. */
  public static final String SPAN_ID = "span_id";

  private LogCorrelation() {}

  /**
   * Makes a span's ids the ones logged from now on, on this thread.
   *
   * @param span the span context; an invalid one (tracing off) clears both keys
   * @return the ids logged before, {@code [trace_id, span_id]} (entries may be {@code null}), to hand
   *     back to {@link #restore(String, String)}
   */
  public static String[] enter(SpanContext span) {
    String[] previous = {MDC.get(TRACE_ID), MDC.get(SPAN_ID)};
    if (span.isValid()) {
      MDC.put(TRACE_ID, span.getTraceId());
      MDC.put(SPAN_ID, span.getSpanId());
    }
    return previous;
  }

  /**
   * Restores the ids logged before {@link #enter(SpanContext)}.
   *
   * @param traceId the trace id logged before, or {@code null}
   * @param spanId the span id logged before, or {@code null}
   */
  public static void restore(String traceId, String spanId) {
    put(TRACE_ID, traceId);
    put(SPAN_ID, spanId);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
