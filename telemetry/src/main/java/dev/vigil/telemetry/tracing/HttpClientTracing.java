package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * CLIENT spans for outgoing HTTP requests made with {@link java.net.http.HttpClient}, following the
 * OpenTelemetry HTTP semantic conventions: one span per attempt (a retry is a new span with {@code
 * http.request.resend_count}), the W3C {@code traceparent} header injected so the server's span
 * becomes its child.
 */
public final class HttpClientTracing {

  private final Tracing tracing;
  private final String peerService;

  /**
   * @param tracing the calling service's tracing
   * @param peerService the logical name of the called service, e.g. {@code payments}
   */
  public HttpClientTracing(Tracing tracing, String peerService) {
    this.tracing = tracing;
    this.peerService = peerService;
  }

  /**
   * Starts the span of one attempt and adds the propagation headers to the request.
   *
   * @param request the request being built; receives {@code traceparent} (and {@code tracestate})
   * @param method the HTTP method, e.g. {@code POST}
   * @param uri the request URI
   * @param resendCount 0 for the first attempt, 1 for the first retry, and so on
   * @return the span, current until closed; record the outcome with {@link #recordStatus}
   */
  public ActiveSpan start(HttpRequest.Builder request, String method, URI uri, int resendCount) {
    ActiveSpan span =
        tracing
            .span(method)
            .kind(SpanKind.CLIENT)
            .set(TraceAttributes.HTTP_REQUEST_METHOD, method)
            .set(
                TraceAttributes.URL_FULL,
                uri.getScheme() + "://" + uri.getAuthority() + uri.getRawPath())
            .set(TraceAttributes.SERVER_ADDRESS, uri.getHost())
            .set(TraceAttributes.SERVER_PORT, (long) uri.getPort())
            .set(TraceAttributes.PEER_SERVICE, peerService)
            .start();
    if (resendCount > 0) {
      span.set(TraceAttributes.HTTP_REQUEST_RESEND_COUNT, (long) resendCount);
    }
    tracing.inject(Context.current(), request::header);
    return span;
  }

  /**
   * Records the response status of an attempt; 4xx and 5xx mark the client span as failed.
   *
   * @param span the attempt's span
   * @param status the response status code
   */
  public static void recordStatus(ActiveSpan span, int status) {
    span.set(TraceAttributes.HTTP_RESPONSE_STATUS_CODE, (long) status);
    if (status >= 400) {
      span.fail(Integer.toString(status), "the server answered " + status);
    }
  }
}
