package dev.vigil.telemetry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for requests rejected before they reach the application (a malformed
 * request line 400, URI too long 414, headers too large 431, refused while stopping 503, ...):
 * answers with a problem details body instead of Jetty's HTML page, and reports each one to a
 * {@link Rejections} listener so that they are counted and logged like any other request.
 *
 * <p>A request line whose HTTP version Jetty will not take (505: "Unknown Version", "HTTP/0.9 not
 * supported" for a line without a version, such as {@code GET /}) is a client's mistake, answered
 * 400 and counted as a client error: a 5xx would let anyone burn the service's error budget with
 * one line of netcat.
 */
final class ProblemErrorHandler extends ErrorHandler {

  /** Told of every request Jetty rejected before routing. */
  @FunctionalInterface
  interface Rejections {
    /**
     * @param method the request method as received, possibly {@code null}
     * @param path the request path, possibly {@code null}
     * @param status the status answered
     * @param seconds time since the request began, in seconds
     * @param bytes response body size
     */
    void rejected(String method, String path, int status, double seconds, long bytes);
  }

  private final Rejections rejections;

  ProblemErrorHandler(Rejections rejections) {
    this.rejections = rejections;
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    int status = code == 505 ? 400 : code;
    if (status != code) {
      response.setStatus(status);
    }
    byte[] body = body(status, message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    if (status == 503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
    }
    try {
      HttpURI uri = request.getHttpURI();
      double seconds = Math.max(0, (System.nanoTime() - request.getBeginNanoTime()) / 1e9);
      rejections.rejected(
          request.getMethod(), uri == null ? null : uri.getPath(), status, seconds, body.length);
    } catch (RuntimeException e) {
      // counting must never stop the answer
    }
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static byte[] body(int status, String message) {
    String reason = message == null ? Problem.StatusPhrases.of(status) : message;
    Problem problem =
        Problem.of(
            status,
            status >= 500
                ? "the server did not take this request ("
                    + reason
                    + "): nothing was done; retry after the Retry-After delay"
                : "the server rejected the request before routing it ("
                    + reason
                    + "): fix the request line or headers");
    try {
      return JsonBody.mapper().writeValueAsBytes(problem.toJson(null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a problem body", e);
    }
  }
}
