package dev.vigil.telemetry.http;

import io.javalin.http.Context;

/**
 * Reads path and query parameters, answering a malformed or out-of-range value with a 422 problem
 * that names the parameter and its accepted range.
 */
public final class RequestParams {

  private RequestParams() {}

  /**
   * Reads an integer query parameter.
   *
   * @param ctx the request
   * @param name the parameter, e.g. {@code limit}
   * @param defaultValue the value when the parameter is absent or empty
   * @param min smallest accepted value
   * @param max largest accepted value
   * @return the value, within {@code [min, max]}
   * @throws ProblemException 422 naming the parameter when it is not an integer in range
   */
  public static int queryInt(Context ctx, String name, int defaultValue, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.invalidField(name, "must be an integer from " + min + " to " + max);
  }

  /**
   * Reads a positive identifier from the path.
   *
   * @param ctx the request
   * @param name the path parameter, e.g. {@code id}
   * @return the identifier, >= 1
   * @throws ProblemException 422 naming the parameter when it is not a positive integer
   */
  public static long pathId(Context ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      long value = Long.parseLong(raw);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProblemException.invalidField(name, "must be a positive integer");
  }
}
