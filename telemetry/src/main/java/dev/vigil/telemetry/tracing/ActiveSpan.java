package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/**
 * A started span that is the current one on this thread until {@link #close()}: child spans, log
 * lines ({@code trace_id}, {@code span_id}) and exemplars recorded meanwhile belong to it.
 *
 * <pre>{@code
 * try (ActiveSpan span = tracing.span("check_inventory").start()) {
 *   ...
 * } // ended here, the previous span is current again
 * }</pre>
 *
 * Close it on the thread that started it.
 */
public final class ActiveSpan implements AutoCloseable {

  /**
   * What a span starts with: kind, parent and attributes. Obtained from {@link
   * Tracing#span(String)}.
   */
  public static final class Builder {
    private final SpanBuilder builder;

    /** The explicit parent, or {@code null} for the current context (read once, at start). */
    private Context parent;

    Builder(SpanBuilder builder) {
      this.builder = builder;
    }

    /**
     * Sets the span kind (default {@link SpanKind#INTERNAL}).
     *
     * @param kind SERVER, CLIENT, PRODUCER, CONSUMER or INTERNAL
     * @return this builder
     */
    public Builder kind(SpanKind kind) {
      builder.setSpanKind(kind);
      return this;
    }

    /**
     * Sets the parent (default: the current context of this thread).
     *
     * @param context the context holding the parent span, e.g. from {@link Tracing#extract}
     * @return this builder
     */
    public Builder parent(Context context) {
      this.parent = context;
      return this;
    }

    /**
     * Sets an attribute at start, where samplers can see it.
     *
     * @param key the key, usually from {@link TraceAttributes}
     * @param value the value
     * @param <T> the value type
     * @return this builder
     */
    public <T> Builder set(AttributeKey<T> key, T value) {
      builder.setAttribute(key, value);
      return this;
    }

    /**
     * Starts the span and makes it current on this thread.
     *
     * @return the span; close it (try-with-resources) on this thread
     */
    public ActiveSpan start() {
      Context context = parent == null ? Context.current() : parent;
      return new ActiveSpan(builder.setParent(context).startSpan(), context);
    }
  }

  private final Span span;
  private final Scope scope;

  /** The trace id put into the MDC, or {@code null} when the span is invalid (tracing off). */
  private final String loggedTraceId;

  private final String previousTraceId;
  private final String previousSpanId;

  ActiveSpan(Span span, Context parent) {
    this.span = span;
    this.scope = parent.with(span).makeCurrent();
    SpanContext context = span.getSpanContext();
    if (context.isValid()) {
      loggedTraceId = context.getTraceId();
      previousTraceId = MDC.get(LogCorrelation.TRACE_ID);
      // both ids are put and removed together: no trace id logged means no span id either
      previousSpanId = previousTraceId == null ? null : MDC.get(LogCorrelation.SPAN_ID);
      LogCorrelation.enter(loggedTraceId, context.getSpanId(), previousTraceId);
    } else {
      loggedTraceId = null;
      previousTraceId = null;
      previousSpanId = null;
    }
  }

  /** The OpenTelemetry span, e.g. to read its {@code getSpanContext()}. */
  public Span span() {
    return span;
  }

  /** The trace id, 32 lower-case hex digits (all zeros when tracing is off). */
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  /**
   * Sets an attribute.
   *
   * @param key the key, usually from {@link TraceAttributes}
   * @param value the value
   * @param <T> the value type
   * @return this span
   */
  public <T> ActiveSpan set(AttributeKey<T> key, T value) {
    span.setAttribute(key, value);
    return this;
  }

  /**
   * Marks the span as failed: status ERROR with a description, {@code error.type}, and the
   * exception as an event.
   *
   * @param failure what went wrong
   * @return this span
   */
  public ActiveSpan fail(Throwable failure) {
    span.recordException(failure);
    span.setAttribute(TraceAttributes.ERROR_TYPE, failure.getClass().getName());
    span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    return this;
  }

  /**
   * Marks the span as failed without an exception.
   *
   * @param errorType a short, low-cardinality reason, e.g. {@code 503} or {@code queue_full}
   * @param description a sentence for the person reading the trace
   * @return this span
   */
  public ActiveSpan fail(String errorType, String description) {
    span.setAttribute(TraceAttributes.ERROR_TYPE, errorType);
    span.setStatus(StatusCode.ERROR, description);
    return this;
  }

  /** Ends the span and makes the previous span current again (also in the log MDC). */
  @Override
  public void close() {
    try {
      span.end();
    } finally {
      scope.close();
      if (loggedTraceId != null) {
        LogCorrelation.leave(loggedTraceId, previousTraceId, previousSpanId);
      }
    }
  }
}
