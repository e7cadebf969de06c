package dev.vigil.catalog;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that take longer than a deadline to send one request's line and headers.
 * Jetty's idle timeout alone is defeated by a slowloris, which sends one byte every few seconds and
 * so is never idle; this guard watches the time from the first byte of a request to the end of its
 * headers. Added to a connector as a bean: it listens to the connector's HTTP/1 connections and
 * checks them every second on a virtual thread.
 */
final class SlowClientGuard extends AbstractLifeCycle implements Connection.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(SlowClientGuard.class);

  private final long deadlineNanos;

  /** Each open connection, with when it was first seen reading headers (0: not reading headers). */
  private final Map<HttpConnection, Long> open = new ConcurrentHashMap<>();

  private volatile Thread sweeper;

  /**
   * @param deadline longest time from a request's first byte to the end of its headers
   */
  SlowClientGuard(Duration deadline) {
    this.deadlineNanos = deadline.toNanos();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.put(http, 0L);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof HttpConnection http) {
      open.remove(http);
    }
  }

  @Override
  protected void doStart() {
    sweeper =
        Thread.ofVirtual()
            .name("slow-client-guard")
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      return;
                    }
                    sweep(System.nanoTime());
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
    for (Map.Entry<HttpConnection, Long> entry : open.entrySet()) {
      HttpConnection connection = entry.getKey();
      var parser = connection.getParser();
      boolean readingHeaders = parser.inHeaderState() && !parser.isStart();
      if (!readingHeaders) {
        entry.setValue(0L);
      } else if (entry.getValue() == 0L) {
        entry.setValue(now);
      } else if (now - entry.getValue() > deadlineNanos) {
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
