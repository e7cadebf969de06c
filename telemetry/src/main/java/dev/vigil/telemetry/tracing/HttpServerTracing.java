package dev.vigil.telemetry.tracing;

import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.RequestLogger;
import io.javalin.router.Endpoint;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;

/**
 * One SERVER span per HTTP request, following the OpenTelemetry HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/).
 *
 * <ul>
 *   <li>the parent comes from the W3C {@code traceparent} header when the caller sent one;</li>
 *   <li>the span is current for the whole request: child spans, log lines ({@code trace_id},
 *       {@code span_id} in the MDC) and the exemplars of the request metrics refer to it;</li>
 *   <li>the response carries the trace id in {@value #TRACE_ID_HEADER};</li>
 *   <li>name {@code "{method} {route}"} (just {@code "{method}"} when no route matched), attributes
 *       {@code http.request.method}, {@code http.route}, {@code http.response.status_code},
 *       {@code url.path}, {@code url.scheme}, {@code server.address}, {@code server.port},
 *       {@code client.address}; status ERROR for 5xx responses (4xx are the client's errors, not the
 *       server's, per the conventions).</li>
 * </ul>
 * Probes and {@code /metrics} (the untraced paths) get no span.
 */
public final class HttpServerTracing implements Filter {

  /** The response header carrying the request's trace id (32 hex digits). */
  public static final String TRACE_ID_HEADER = "X-Trace-Id";

  private static final Set<String> STANDARD_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "QUERY");

  private final Tracing tracing;
  private final Set<String> untracedPaths;

  private HttpServerTracing(Tracing tracing, Set<String> untracedPaths) {
    this.tracing = tracing;
    this.untracedPaths = untracedPaths;
  }

  /**
   * Installs server spans into a Javalin application being configured.
   *
   * @param state the application's configuration state
   * @param tracing the service's tracing
   * @param untracedPaths paths that are not traffic (probes, {@code /metrics}): no span
   */
  public static void install(JavalinState state, Tracing tracing, Set<String> untracedPaths) {
    HttpServerTracing filter = new HttpServerTracing(tracing, untracedPaths);
    state.jetty.modifyServletContextHandler(handler ->
        handler.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST)));
    state.requestLogger.http(new RouteNamer());
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    if (untracedPaths.contains(req.getRequestURI())) {
      chain.doFilter(request, response);
      return;
    }
    String method = STANDARD_METHODS.contains(req.getMethod()) ? req.getMethod() : "_OTHER";
    try (ActiveSpan span = tracing.span(method.equals("_OTHER") ? "HTTP" : method)
        .kind(SpanKind.SERVER)
        .parent(tracing.extract(req::getHeader))
        .set(TraceAttributes.HTTP_REQUEST_METHOD, method)
        .set(TraceAttributes.URL_PATH, req.getRequestURI())
        .set(TraceAttributes.URL_SCHEME, req.getScheme())
        .set(TraceAttributes.SERVER_ADDRESS, req.getServerName())
        .set(TraceAttributes.SERVER_PORT, (long) req.getServerPort())
        .set(TraceAttributes.CLIENT_ADDRESS, req.getRemoteAddr())
        .start()) {
      if (span.span().getSpanContext().isValid()) {
        res.setHeader(TRACE_ID_HEADER, span.traceId());
      }
      try {
        chain.doFilter(request, response);
      } catch (IOException | ServletException | RuntimeException e) {
        span.fail(e);
        throw e;
      } finally {
        int status = res.getStatus();
        span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
        if (status >= 500) {
          span.fail(Integer.toString(status), "the server answered " + status);
        }
      }
    }
  }

  /** Names the current server span after the matched route once Javalin knows it. */
  private static final class RouteNamer implements RequestLogger {
    @Override
    public void handle(Context ctx, Float executionTimeMs) {
      Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
      Span span = Span.current();
      if (endpoint != null && span.isRecording()) {
        span.setAttribute(TraceAttributes.HTTP_ROUTE, endpoint.path);
        span.updateName(methodOf(ctx) + " " + endpoint.path);
      }
    }

    private static String methodOf(Context ctx) {
      String method = ctx.req().getMethod();
      return STANDARD_METHODS.contains(method) ? method : "HTTP";
    }
  }
}
