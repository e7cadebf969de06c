package dev.vigil.telemetry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler for requests rejected before they reach the application (a malformed URI 400,
 * headers too large 431, ...): answers with a problem details body instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message,
      Throwable cause, Callback callback) throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  private static byte[] body(int status, String message) {
    Problem problem = Problem.of(status, "the server rejected the request before routing it ("
        + (message == null ? Problem.StatusPhrases.of(status) : message) + "): fix the request line or headers");
    try {
      return JsonBody.mapper().writeValueAsBytes(problem.toJson(null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a problem body", e);
    }
  }
}
