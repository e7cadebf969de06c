package dev.vigil.catalog;

import java.util.Set;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A bulkhead in front of the application: at most {@code limit} requests in flight; one more is
 * refused at once with 503 problem+json and {@code Retry-After: 1} (through the server's error
 * handler, so it is counted under the endpoint {@code _REJECTED} and access-logged), instead of
 * queueing until latency grows without bound. Probes and {@code /metrics} are never shed: an
 * overloaded replica must still say whether it is alive and be observable.
 *
 * <p>A place is freed when the request completes, before the server's own completion callback runs
 * ({@link Callback#from(Runnable, Callback)}): the next request may take it as soon as this
 * response has been written, not after whatever the callback chain does next.
 */
public final class LoadShedding extends Handler.Wrapper {

  private final int limit;
  private final Semaphore permits;
  private final Set<String> exempt;

  /**
   * @param limit most requests in flight, >= 1
   * @param exempt paths never shed, e.g. {@code /readyz}
   */
  public LoadShedding(int limit, Set<String> exempt) {
    this.limit = limit;
    this.permits = new Semaphore(limit);
    this.exempt = exempt;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (exempt.contains(Request.getPathInContext(request))) {
      return super.handle(request, response, callback);
    }
    if (!permits.tryAcquire()) {
      response.getHeaders().put("Retry-After", "1");
      Response.writeError(
          request,
          response,
          callback,
          503,
          "overloaded: " + limit + " requests already in flight (VIGIL_MAX_CONCURRENT_REQUESTS)");
      return true;
    }
    boolean handled = false;
    try {
      handled = super.handle(request, response, Callback.from(permits::release, callback));
      return handled;
    } finally {
      if (!handled) {
        permits.release();
      }
    }
  }

  /** Requests in flight through this bulkhead now. */
  public int inFlight() {
    return limit - permits.availablePermits();
  }
}
