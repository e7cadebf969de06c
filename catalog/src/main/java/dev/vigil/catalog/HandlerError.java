package dev.vigil.catalog;

/**
 * An {@link Error} thrown while a request was handled, carried as an exception so that the
 * service's problem handler answers it (500 problem+json with the request id, the stack trace
 * logged and the failure counted) instead of Javalin's fallback (500 with an empty body).
 */
public final class HandlerError extends RuntimeException {

  /**
   * @param route the route that was handling the request, e.g. {@code POST /api/orders}
   * @param error what was thrown
   */
  public HandlerError(String route, Error error) {
    super("the handler of " + route + " ended in " + error, error);
  }
}
