package dev.vigil.telemetry.tracing;

import org.slf4j.MDC;

/**
 * Puts the current span's ids into the logging MDC, so that every log line written inside a span
 * carries {@code trace_id} (32 hex digits) and {@code span_id} (16 hex digits), the fields vigil's
 * JSON log layout and Grafana's Loki derived field read. {@link ActiveSpan} calls it when a span
 * becomes current and when it ends.
 */
public final class LogCorrelation {

  /** The MDC key (and JSON log field) of the trace id. */
  public static final String TRACE_ID = "trace_id";

  /** The MDC key (and JSON log field) of the span id. */
  public static final String SPAN_ID = "span_id";

  private LogCorrelation() {}

  /**
   * Makes a span's ids the ones logged from now on, on this thread. The trace id is written only
   * when it differs from the one logged before (a child span keeps its parent's).
   *
   * @param traceId the span's trace id
   * @param spanId the span's id
   * @param previousTraceId the trace id logged before, or {@code null}
   */
  static void enter(String traceId, String spanId, String previousTraceId) {
    if (!traceId.equals(previousTraceId)) {
      MDC.put(TRACE_ID, traceId);
    }
    MDC.put(SPAN_ID, spanId);
  }

  /**
   * Restores the ids logged before {@link #enter}; the trace id only when {@code enter} changed it.
   *
   * @param traceId the trace id {@code enter} was given
   * @param previousTraceId the trace id logged before, or {@code null}
   * @param previousSpanId the span id logged before, or {@code null}
   */
  static void leave(String traceId, String previousTraceId, String previousSpanId) {
    if (!traceId.equals(previousTraceId)) {
      put(TRACE_ID, previousTraceId);
    }
    put(SPAN_ID, previousSpanId);
  }

  private static void put(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
