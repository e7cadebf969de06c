package dev.vigil.telemetry.http;

import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.logging.AccessLog;
import dev.vigil.telemetry.logging.RequestIds;
import dev.vigil.telemetry.tracing.LogCorrelation;
import io.javalin.config.JavalinState;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns every error a handler raises into an RFC 9457 {@code application/problem+json} response.
 *
 * <ul>
 *   <li>{@link ProblemException}: its problem as given;
 *   <li>Javalin's own responses (no route 404, wrong method 405, body too large 413 ...): the same
 *       status with a sentence that says what to change;
 *   <li>Javalin parameter validation: 422 naming the parameter;
 *   <li>anything else: 500 with the request id, the stack trace logged at ERROR and never sent.
 * </ul>
 */
public final class ProblemResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);

  private ProblemResponses() {}

  /**
   * Registers the exception handlers of an application, and a Jetty error handler for requests
   * rejected before routing: those are counted in {@code metrics} under the one endpoint value
   * {@link HttpMetrics#REJECTED} and written to the access log.
   *
   * @param state the Javalin application being configured
   * @param metrics RED metrics, or {@code null} when metrics are off
   * @param accessLog the access log, or {@code null} when it is off
   */
  public static void install(JavalinState state, HttpMetrics metrics, AccessLog accessLog) {
    ProblemErrorHandler.Rejections rejections =
        (method, path, status, seconds, bytes) -> {
          String methodLabel =
              method == null ? HttpMetrics.OTHER_METHOD : HttpMetrics.methodLabel(method);
          if (metrics != null) {
            metrics.record(methodLabel, HttpMetrics.REJECTED, status, seconds);
          }
          if (accessLog != null) {
            accessLog.record(
                methodLabel,
                HttpMetrics.REJECTED,
                path == null ? "" : path,
                status,
                seconds * 1000,
                bytes);
          }
        };
    state.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler(rejections)));
    RoutesConfig routes = state.routes;
    routes.exception(ProblemException.class, (e, ctx) -> write(ctx, e.problem()));
    routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, fromJavalin(e, ctx)));
    routes.exception(ValidationException.class, (e, ctx) -> write(ctx, fromValidation(e)));
    // Jetty parses the charset of Content-Type when the request's content type is read: an unknown
    // one
    // is the client's mistake, not the server's
    routes.exception(
        UnsupportedCharsetException.class,
        (e, ctx) -> write(ctx, unsupportedCharset(e.getCharsetName())));
    routes.exception(
        IllegalCharsetNameException.class,
        (e, ctx) -> write(ctx, unsupportedCharset(e.getCharsetName())));
    routes.exception(Exception.class, (e, ctx) -> writeUnexpected(ctx, e));
  }

  /**
   * Answers an unexpected failure: 500 with the request id, the stack trace logged at ERROR and
   * never sent, the failure recorded by the application's {@link ErrorTracker} (grouped by
   * fingerprint, with the request's trace and request ids). For a service's own exception handlers
   * that handle only some instances of a type.
   *
   * @param ctx the request
   * @param e the failure
   */
  public static void writeUnexpected(Context ctx, Exception e) {
    LOG.error("unhandled exception in {} {}", ctx.method(), ctx.path(), e);
    track(ctx, e);
    // with metrics alone a request has an id only when the caller sent one (TelemetrySwitches)
    boolean identified = MDC.get(RequestIds.MDC_KEY) != null;
    write(
        ctx,
        Problem.of(
            500,
            "the server failed to handle this request"
                + (identified ? "; report the request_id to the operators" : "")));
  }

  private static void track(Context ctx, Exception e) {
    ErrorTracker tracker;
    try {
      tracker = ctx.appData(ErrorTracker.KEY);
    } catch (RuntimeException noTracker) {
      return; // an application without the telemetry plugin
    }
    try {
      tracker.record(e, MDC.get(LogCorrelation.TRACE_ID), MDC.get(RequestIds.MDC_KEY));
    } catch (RuntimeException trackingFailed) {
      LOG.warn("error tracking failed; the 500 is answered all the same", trackingFailed);
    }
  }

  /**
   * Writes a problem as the response, adding the request id and trace id when set.
   *
   * @param ctx the request
   * @param problem the problem to send
   */
  public static void write(Context ctx, Problem problem) {
    String requestId = MDC.get(RequestIds.MDC_KEY);
    Problem withId = requestId == null ? problem : problem.with("request_id", requestId);
    String traceId = MDC.get(LogCorrelation.TRACE_ID);
    if (traceId != null) {
      withId = withId.with("trace_id", traceId);
    }
    try {
      byte[] body = JsonBody.mapper().writeValueAsBytes(withId.toJson(ctx.path()));
      ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Problem unsupportedCharset(String charset) {
    return Problem.of(
        415,
        "charset '"
            + charset
            + "' of Content-Type is not supported: send UTF-8 "
            + "(Content-Type: application/json or application/json; charset=utf-8)");
  }

  private static Problem fromJavalin(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    return switch (status) {
      case 404 ->
          Problem.of(
              404,
              "no resource at "
                  + ctx.method()
                  + " "
                  + ctx.path()
                  + ": check the path against the service's API");
      case 405 -> {
        String allowed = String.join(", ", e.getDetails().values());
        ctx.header("Allow", allowed);
        yield Problem.of(
                405,
                "method "
                    + ctx.method()
                    + " is not allowed on "
                    + ctx.path()
                    + ": use one of "
                    + allowed)
            .with("allowed", allowed);
      }
      case 413 ->
          Problem.of(
              413,
              "the request body is larger than "
                  + JsonBody.MAX_BYTES
                  + " bytes (1 MiB): send a smaller body");
      default ->
          Problem.of(
              status, e.getMessage() == null ? Problem.StatusPhrases.of(status) : e.getMessage());
    };
  }

  private static Problem fromValidation(ValidationException e) {
    String field = e.getErrors().keySet().stream().findFirst().orElse("parameter");
    String reasons =
        e.getErrors().getOrDefault(field, java.util.List.of()).stream()
            .map(err -> err.getMessage())
            .collect(Collectors.joining("; "));
    return ProblemException.invalidField(field, "is invalid (" + reasons + ")").problem();
  }
}
