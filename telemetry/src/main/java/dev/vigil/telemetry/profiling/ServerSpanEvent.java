package dev.vigil.telemetry.profiling;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JDK Flight Recorder event per served HTTP request, so a recording can name the slowest requests
 * of its window with their trace ids. Emitted by the telemetry plugin's request logger once the
 * response is written; costs one {@code isEnabled()} check while no recording runs.
 */
@Name(ServerSpanEvent.NAME)
@Label("Server span")
@Category({"vigil", "HTTP"})
@Description("One served HTTP request: route, status, duration and trace id")
@StackTrace(false)
public final class ServerSpanEvent extends jdk.jfr.Event {

  /** The event type's name in recordings. */
  public static final String NAME = "dev.vigil.ServerSpan";

  @Label("Trace id")
  String traceId;

  @Label("Method")
  String method;

  @Label("Route")
  String route;

  @Label("Status")
  int status;

  @Label("Duration")
  @Timespan(Timespan.NANOSECONDS)
  long durationNanos;

  /**
   * Records one request when a recording has this event enabled, with the trace id of the current
   * span (none without tracing). Call it while the request's server span is current.
   *
   * @param method the HTTP method
   * @param route the matched route template, e.g. {@code /api/products/{id}}, or {@code null}
   * @param status the response status
   * @param seconds the request's duration as the server measured it, in seconds
   */
  public static void emit(String method, String route, int status, double seconds) {
    ServerSpanEvent event = new ServerSpanEvent();
    if (!event.isEnabled()) {
      return;
    }
    SpanContext span = Span.current().getSpanContext();
    event.traceId = span.isValid() ? span.getTraceId() : null;
    event.method = method;
    event.route = route;
    event.status = status;
    event.durationNanos = (long) (seconds * 1e9);
    event.commit();
  }
}
