package dev.vigil.drills.drill;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP traffic for drills, to the service a drill targets (the local stack, or a deployment the
 * user names with {@code vigil drill run --url}: any http or https URL), always bounded: a request
 * count of at most {@link #MAX_REQUESTS_PER_CALL}, or a rate of at most 50 requests/s that stops on
 * {@link SteadyLoad#close()}. Every request has a 5 s timeout; a failed connection counts as a sent
 * request without a response.
 */
public final class DrillTraffic {

  /** Most requests one call may send; a drill never floods. */
  public static final int MAX_REQUESTS_PER_CALL = 20_000;

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private DrillTraffic() {}

  /**
   * Sends {@code count} GETs one after the other (the seed's {@code for i in {1..100}; do curl
   * ...}).
   *
   * @param uri an http or https URL, e.g. {@code http://127.0.0.1:8000/nonexistent}
   * @param count number of requests, 0..{@link #MAX_REQUESTS_PER_CALL}
   * @return how many got an HTTP response (any status)
   * @throws IllegalArgumentException when the URL is not http or https or the count is out of range
   */
  public static int sequential(URI uri, int count) {
    check(uri, count);
    int answered = 0;
    for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
      answered += get(uri) > 0 ? 1 : 0;
    }
    return answered;
  }

  /**
   * Sends {@code count} GETs from {@code concurrency} parallel workers (the seed's {@code ab -n
   * -c}).
   *
   * @param uri an http or https URL
   * @param count number of requests, 0..{@link #MAX_REQUESTS_PER_CALL}
   * @param concurrency parallel workers, 1..16
   * @return how many got an HTTP response (any status)
   * @throws IllegalArgumentException when the URL is not http or https or a number is out of range
   */
  public static int concurrent(URI uri, int count, int concurrency) {
    return concurrent(uri, "GET", null, count, concurrency);
  }

  /**
   * Sends {@code count} requests from {@code concurrency} parallel workers.
   *
   * @param uri an http or https URL
   * @param method {@code GET} or {@code POST}
   * @param body the JSON body of a POST (each POST gets a fresh {@code Idempotency-Key}), or null
   * @param count number of requests, 0..{@link #MAX_REQUESTS_PER_CALL}
   * @param concurrency parallel workers, 1..16
   * @return how many got an HTTP response (any status)
   * @throws IllegalArgumentException when the URL is not http or https or a number is out of range
   */
  public static int concurrent(URI uri, String method, String body, int count, int concurrency) {
    check(uri, count);
    if (concurrency < 1 || concurrency > 16) {
      throw new IllegalArgumentException("concurrency must be 1..16, got " + concurrency);
    }
    AtomicLong next = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    try (ExecutorService workers = Executors.newFixedThreadPool(concurrency)) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < concurrency; w++) {
        done.add(
            workers.submit(
                () -> {
                  while (next.getAndIncrement() < count
                      && !Thread.currentThread().isInterrupted()) {
                    answered.addAndGet(send(uri, method, body) > 0 ? 1 : 0);
                  }
                }));
      }
    }
    return (int) answered.get();
  }

  /**
   * Starts a steady background load until closed.
   *
   * @param uri an http or https URL, e.g. {@code http://127.0.0.1:8000/}
   * @param perSecond requests per second, 0.01..50
   * @return the running load; close it to stop
   * @throws IllegalArgumentException when the URL is not http or https or the rate is out of range
   */
  public static SteadyLoad steady(URI uri, double perSecond) {
    return steady(uri, "GET", null, perSecond);
  }

  /**
   * Starts a steady background load of one request until closed.
   *
   * @param uri an http or https URL
   * @param method {@code GET} or {@code POST}
   * @param body the JSON body of a POST, or null
   * @param perSecond requests per second, 0.01..50
   * @return the running load; close it to stop
   * @throws IllegalArgumentException when the URL is not http or https or the rate is out of range
   */
  public static SteadyLoad steady(URI uri, String method, String body, double perSecond) {
    check(uri, 0);
    if (perSecond < 0.01 || perSecond > 50) {
      throw new IllegalArgumentException(
          "steady load must be 0.01..50 requests/s, got " + perSecond);
    }
    return new SteadyLoad(uri, method, body, perSecond);
  }

  /** A background load at a fixed rate, stopped by {@link #close()}. */
  public static final class SteadyLoad implements AutoCloseable {
    /** Most requests of one load in flight at once; further arrivals are skipped, not queued. */
    public static final int MAX_IN_FLIGHT = 64;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final java.util.concurrent.Semaphore inFlight =
        new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);
    private final Thread thread;

    /**
     * Open-loop arrivals: a request starts every {@code 1 / perSecond} seconds whether or not the
     * previous ones were answered (as users arrive), so a slow service sees requests pile up
     * instead of the load slowing down with it.
     */
    private SteadyLoad(URI uri, String method, String body, double perSecond) {
      long pauseMillis = Math.round(1000 / perSecond);
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("drill-steady-load")
              .start(
                  () -> {
                    while (running.get()) {
                      if (inFlight.tryAcquire()) {
                        sent.incrementAndGet();
                        Thread.ofVirtual()
                            .start(
                                () -> {
                                  try {
                                    send(uri, method, body);
                                  } finally {
                                    inFlight.release();
                                  }
                                });
                      }
                      try {
                        Thread.sleep(pauseMillis);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    /**
     * Requests sent so far.
     *
     * @return the count
     */
    public long sent() {
      return sent.get();
    }

    /** Stops the load and waits for the requests in flight (at most their 5 s timeout). */
    @Override
    public void close() {
      running.set(false);
      thread.interrupt();
      try {
        thread.join(Duration.ofSeconds(6));
        if (inFlight.tryAcquire(MAX_IN_FLIGHT, 6, java.util.concurrent.TimeUnit.SECONDS)) {
          inFlight.release(MAX_IN_FLIGHT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** GETs the URL; returns the status code, or 0 when no response came. */
  private static int get(URI uri) {
    return send(uri, "GET", null);
  }

  /** Sends one request; returns the status code, or 0 when no response came. */
  private static int send(URI uri, String method, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
    if ("POST".equals(method)) {
      request
          .header("Content-Type", "application/json")
          .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
          .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body));
    } else {
      request.GET();
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static void check(URI uri, int count) {
    if (count < 0 || count > MAX_REQUESTS_PER_CALL) {
      throw new IllegalArgumentException(
          "request count must be 0.." + MAX_REQUESTS_PER_CALL + ", got " + count);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "drills send HTTP traffic to an http:// or https:// URL with a host, not to " + uri);
    }
  }
}
