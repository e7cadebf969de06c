package dev.vigil.telemetry.tracing;

import io.javalin.router.Endpoint;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One SERVER span per HTTP request, following the OpenTelemetry HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/). vigil's request scope ({@code
 * dev.vigil.telemetry.http.HttpInstrumentation}) calls {@link #start} when a request arrives,
 * {@link #nameAfterRoute} once Javalin knows the route, and {@link #finish} when the response is
 * written.
 *
 * <ul>
 *   <li>the parent comes from the propagation headers (W3C {@code traceparent}) when the caller
 *       sent them;
 *   <li>the span is current for the whole request: child spans, log lines ({@code trace_id}, {@code
 *       span_id} in the MDC) and the exemplars of the request metrics refer to it;
 *   <li>the response carries the trace id in {@value #TRACE_ID_HEADER};
 *   <li>name {@code "{method} {route}"} (just {@code "{method}"} when no route matched), attributes
 *       {@code http.request.method}, {@code http.route}, {@code http.response.status_code}, {@code
 *       url.path}, {@code url.scheme}, {@code server.address}, {@code server.port}, {@code
 *       client.address}; status ERROR for 5xx responses (4xx are the client's errors, not the
 *       server's, per the conventions).
 * </ul>
 *
 * Probes and {@code /metrics} (the untraced paths) get no span: the request scope does not call it.
 */
public final class HttpServerTracing {

  /** The response header carrying the request's trace id (32 hex digits). */
  public static final String TRACE_ID_HEADER = "X-Trace-Id";

  private static final Set<String> STANDARD_METHODS =
      Set.of(
          "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY");

  /** {@code http.response.status_code} values 100..599, boxed once. */
  private static final Long[] STATUS_CODES = new Long[500];

  static {
    for (int i = 0; i < STATUS_CODES.length; i++) {
      STATUS_CODES[i] = (long) (i + 100);
    }
  }

  private final Tracing tracing;

  /** The last boxed {@code server.port} (racy on purpose: any boxed port value is correct). */
  private volatile Long lastPort;

  /** The headers the configured propagators read ({@code traceparent}, {@code tracestate}, ...). */
  private final String[] propagationHeaders;

  /** {@code "{method} {route}"} of each route, built once instead of per request. */
  private final ConcurrentHashMap<Endpoint, String> spanNames = new ConcurrentHashMap<>();

  /**
   * @param tracing the service's tracing
   */
  public HttpServerTracing(Tracing tracing) {
    this.tracing = tracing;
    Collection<String> fields =
        tracing.openTelemetry().getPropagators().getTextMapPropagator().fields();
    this.propagationHeaders = fields.toArray(String[]::new);
  }

  /**
   * Starts the SERVER span of a request, makes it current and sets {@value #TRACE_ID_HEADER}.
   * Propagation headers are only parsed when the request carries one of them. The sampler decides
   * on the method name, the kind and the parent alone (as the SDK's samplers do); the HTTP
   * attributes are set only on a span it records.
   *
   * @param req the request
   * @param res the response, receiving the trace id header
   * @return the span; {@link #finish} it on this thread
   */
  public ActiveSpan start(HttpServletRequest req, HttpServletResponse res) {
    String received = req.getMethod();
    boolean standard = STANDARD_METHODS.contains(received);
    ActiveSpan span =
        tracing
            .span(standard ? received : "HTTP")
            .kind(SpanKind.SERVER)
            .parent(hasPropagationHeader(req) ? tracing.extract(req::getHeader) : Context.root())
            .start();
    Span started = span.span();
    // the sampler has decided: a span it drops (most of them with ratio sampling) gets no
    // attributes at all, not even the builder's map
    if (started.isRecording()) {
      started.setAttribute(TraceAttributes.HTTP_REQUEST_METHOD, standard ? received : "_OTHER");
      started.setAttribute(TraceAttributes.URL_PATH, req.getRequestURI());
      started.setAttribute(TraceAttributes.URL_SCHEME, req.getScheme());
      started.setAttribute(TraceAttributes.SERVER_ADDRESS, req.getServerName());
      started.setAttribute(TraceAttributes.SERVER_PORT, boxedPort(req.getServerPort()));
      started.setAttribute(TraceAttributes.CLIENT_ADDRESS, req.getRemoteAddr());
    }
    if (started.getSpanContext().isValid()) {
      res.setHeader(TRACE_ID_HEADER, span.traceId());
    }
    return span;
  }

  /**
   * Names the current server span after the route that handled the request: {@code http.route} and
   * the name {@code "{method} {route}"}. Nothing happens when no span is recording.
   *
   * @param endpoint the route whose handler served the request (its method is the request's), or
   *     {@code null} when none did, e.g. a 404, a 405 or a HEAD answered by a GET route: the span
   *     keeps its {@code "{method}"} name
   */
  public void nameAfterRoute(Endpoint endpoint) {
    if (endpoint == null) {
      return;
    }
    Span span = Span.current();
    if (!span.isRecording()) {
      return;
    }
    String name = spanNames.get(endpoint);
    if (name == null) {
      name =
          spanNames.computeIfAbsent(
              endpoint,
              e ->
                  (STANDARD_METHODS.contains(e.method.name()) ? e.method.name() : "HTTP")
                      + " "
                      + e.path);
    }
    span.setAttribute(TraceAttributes.HTTP_ROUTE, endpoint.path);
    span.updateName(name);
  }

  /**
   * Records the response status ({@code http.response.status_code}; ERROR for 5xx or a failure) and
   * ends the span, making the previous context current again.
   *
   * @param span the span from {@link #start}
   * @param status the response status code
   * @param failure what escaped the request's handling, or {@code null}
   */
  public static void finish(ActiveSpan span, int status, Throwable failure) {
    try {
      if (failure != null) {
        span.fail(failure);
      }
      if (span.span().isRecording()) {
        span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, boxedStatus(status));
      }
      if (status >= 500) {
        span.fail(Integer.toString(status), "the server answered " + status);
      }
    } finally {
      span.close();
    }
  }

  /** The boxed port of the last request, so a busy server does not box the same port each time. */
  private Long boxedPort(int port) {
    Long last = lastPort;
    if (last == null || last != port) {
      last = (long) port;
      lastPort = last;
    }
    return last;
  }

  /** A status code as the {@code Long} the attribute takes, without boxing the usual ones. */
  private static Long boxedStatus(int status) {
    return status >= 100 && status < 600 ? STATUS_CODES[status - 100] : Long.valueOf(status);
  }

  private boolean hasPropagationHeader(HttpServletRequest req) {
    for (String header : propagationHeaders) {
      if (req.getHeader(header) != null) {
        return true;
      }
    }
    return false;
  }
}
