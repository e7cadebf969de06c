package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * Carries a trace across a queue, as the OpenTelemetry messaging conventions describe
 * (https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/): the producer starts a
 * PRODUCER span {@code "send {queue}"} and stores its context in the message as W3C trace context
 * fields ({@link #carrier()}); the worker starts a CONSUMER span {@code "process {queue}"} whose
 * parent is read back from those fields, so the work done later, on another thread, lands in the
 * same trace.
 *
 * <pre>{@code
 * Map<String, String> carrier;
 * try (ActiveSpan send = handoff.send()) { carrier = handoff.carrier(); queue.offer(new Job(..., carrier)); }
 * // worker thread:
 * try (ActiveSpan process = handoff.process(job.carrier())) { ... }
 * }</pre>
 */
public final class QueueHandoff {

  private final Tracing tracing;
  private final String queue;

  /**
   * @param tracing the service's tracing
   * @param queue the queue's name, e.g. {@code confirmations} (also the {@code queue} metric label)
   */
  public QueueHandoff(Tracing tracing, String queue) {
    this.tracing = tracing;
    this.queue = queue;
  }

  /**
   * Starts the PRODUCER span of one message, a child of the current span.
   *
   * @return the span, current until closed
   */
  public ActiveSpan send() {
    return tracing
        .span("send " + queue)
        .kind(SpanKind.PRODUCER)
        .set(TraceAttributes.MESSAGING_SYSTEM, "vigil")
        .set(TraceAttributes.MESSAGING_DESTINATION, queue)
        .set(TraceAttributes.MESSAGING_OPERATION, "send")
        .start();
  }

  /**
   * The current context as W3C trace context fields, to store in the message; call it inside {@link
   * #send()}.
   *
   * @return field name to value, e.g. {@code traceparent -> 00-<trace>-<span>-01}; empty when
   *     tracing is off
   */
  public Map<String, String> carrier() {
    Map<String, String> fields = new HashMap<>(2);
    tracing.inject(Context.current(), fields::put);
    return Map.copyOf(fields);
  }

  /**
   * Starts the CONSUMER span of one message on the worker thread.
   *
   * @param carrier the fields stored by the producer (may be empty: a new trace begins)
   * @return the span, current until closed
   */
  public ActiveSpan process(Map<String, String> carrier) {
    return tracing
        .span("process " + queue)
        .kind(SpanKind.CONSUMER)
        .parent(tracing.extract(carrier::get))
        .set(TraceAttributes.MESSAGING_SYSTEM, "vigil")
        .set(TraceAttributes.MESSAGING_DESTINATION, queue)
        .set(TraceAttributes.MESSAGING_OPERATION, "process")
        .start();
  }
}
