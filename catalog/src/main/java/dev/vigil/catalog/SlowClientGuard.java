package dev.vigil.catalog;

import dev.vigil.telemetry.errors.ErrorTracker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that take longer than a deadline to send one request's line and headers.
 * Jetty's idle timeout alone is defeated by a slowloris, which sends one byte every few seconds and
 * so is never idle, and Jetty 12 enforces no minimum data rate before a request's headers are
 * complete ({@code HttpConfiguration.setMinRequestDataRate} is not read by the HTTP/1 connection;
 * {@code MinimumDataRateHandler} sees only bodies). Added to a connector as a bean, this guard
 * listens to its connections and checks them every second on a virtual thread.
 *
 * <p>It reads only the public {@link Connection} counters: a connection whose every request has
 * been answered ({@code messagesIn == messagesOut}; HTTP/1 counts a request in when its headers are
 * complete) and which has received bytes since, is sending a new request's headers. When that lasts
 * longer than the deadline, the connection is closed. Request bodies are not timed by this guard
 * (the request is counted in by then); the idle timeout bounds them.
 *
 * <p>A sweep that fails is recorded in the error tracker under the worker {@value #WORKER} (and
 * logged); the next sweep runs a second later all the same.
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {

  /** The worker name of the guard's failures and thread. */
  static final String WORKER = "slow-client-guard";

  private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

  private final long deadlineNanos;
  private final ErrorTracker errors;

  /** Each open connection and what the last sweep saw of it. */
  private final Map<Connection, Watch> open = new ConcurrentHashMap<>();

  private volatile Thread sweeper;

  /**
   * What a sweep saw of one connection: its request count, its byte count when it was last seen
   * between requests with nothing new ({@code -1}: not seen so yet), and since when it has been
   * receiving a request's headers ({@code 0}: it is not).
   */
  private static final class Watch {
    long messagesIn;
    long quietBytes;
    long headersSince;
  }

  /**
   * @param deadline longest time from a request's first byte to the end of its headers
   * @param errors where failed sweeps are recorded, the service's error tracker
   */
  SlowClientGuard(Duration deadline, ErrorTracker errors) {
    this.deadlineNanos = deadline.toNanos();
    this.errors = errors;
  }

  @Override
  public void onOpened(Connection connection) {
    open.put(connection, new Watch());
  }

  @Override
  public void onClosed(Connection connection) {
    open.remove(connection);
  }

  @Override
  protected void doStart() {
    sweeper =
        Thread.ofVirtual()
            .name(WORKER)
            .uncaughtExceptionHandler(errors.uncaughtIn(WORKER))
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    }
                    try {
                      sweep(System.nanoTime());
                    } catch (RuntimeException e) {
                      errors.recordWorkerFailure(
                          WORKER, "a sweep of slow connections failed, next in 1 s", e);
                    }
                  }
                });
  }

  @Override
  protected void doStop() {
    Thread t = sweeper;
    if (t != null) {
      t.interrupt();
    }
    open.clear();
  }

  private void sweep(long now) {
    for (Map.Entry<Connection, Watch> entry : open.entrySet()) {
      Connection connection = entry.getKey();
      Watch watch = entry.getValue();
      long in = connection.getMessagesIn();
      long bytes = connection.getBytesIn();
      if (in != connection.getMessagesOut() || in != watch.messagesIn) {
        // a request in progress, or one served since the last sweep: its headers were complete
        watch.messagesIn = in;
        watch.quietBytes = in == connection.getMessagesOut() ? bytes : -1;
        watch.headersSince = 0;
      } else if (watch.quietBytes < 0 || bytes == watch.quietBytes) {
        watch.quietBytes = bytes;
        watch.headersSince = 0;
      } else if (watch.headersSince == 0) {
        watch.headersSince = now;
      } else if (now - watch.headersSince > deadlineNanos) {
        LOG.atInfo()
            .addKeyValue(
                "remote", String.valueOf(connection.getEndPoint().getRemoteSocketAddress()))
            .log(
                "closed a connection that did not send a complete request header within {} s",
                deadlineNanos / 1_000_000_000L);
        open.remove(connection);
        connection.getEndPoint().close();
      }
    }
  }
}
