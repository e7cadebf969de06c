package dev.vigil.catalog;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads each request's body in full before the rest of the server sees the request, within a
 * deadline, without holding a thread or a place of the bulkhead ({@link LoadShedding}, which sits
 * after this handler) while the bytes trickle in.
 *
 * <p>A body that is not complete within the deadline is answered {@code 408 Request Timeout}
 * problem+json with {@code Connection: close} (through the server's error handler, so it is counted
 * under the endpoint {@code _REJECTED} and access-logged): the client's own slowness is a 4xx,
 * which the availability SLO (bad = 5xx) does not count. Jetty's idle timeout cannot do this: it
 * restarts at every byte, so one byte every few seconds holds a request forever.
 *
 * <p>Only bodies of at most {@code maxBytes} are read here; a larger declared {@code
 * Content-Length} is passed on unread (the application answers 413 without reading it), and a
 * chunked body that grows past it is answered 413. Requests without a body pass straight through.
 */
public final class BodyDeadline extends Handler.Wrapper {

  private final long deadlineMillis;
  private final int maxBytes;

  /**
   * @param deadline longest time from the request's headers to the last byte of its body
   * @param maxBytes largest body read here, in bytes (the application's own request size limit)
   */
  public BodyDeadline(Duration deadline, int maxBytes) {
    this.deadlineMillis = deadline.toMillis();
    this.maxBytes = maxBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long length = request.getLength();
    boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    if ((length <= 0 && !chunked) || length > maxBytes) {
      return super.handle(request, response, callback);
    }
    AtomicBoolean answered = new AtomicBoolean();
    CompletableFuture<byte[]> body = Content.Source.asByteArrayAsync(request, maxBytes);
    Scheduler.Task timeout =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> {
                  if (answered.compareAndSet(false, true)) {
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                    Response.writeError(
                        request,
                        response,
                        callback,
                        408,
                        "the request body was not complete within "
                            + deadlineMillis
                            + " ms: send the whole body at once, then retry");
                  }
                },
                deadlineMillis,
                TimeUnit.MILLISECONDS);
    body.whenComplete(
        (bytes, failure) -> {
          timeout.cancel();
          if (!answered.compareAndSet(false, true)) {
            return;
          }
          if (failure != null) {
            boolean tooLarge = failure instanceof IllegalArgumentException;
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            Response.writeError(
                request,
                response,
                callback,
                tooLarge ? 413 : 400,
                tooLarge
                    ? "the request body is larger than " + maxBytes + " bytes"
                    : "the request body could not be read: " + failure.getMessage());
            return;
          }
          request
              .getComponents()
              .getExecutor()
              .execute(() -> handleRead(new ReadBody(request, bytes), response, callback));
        });
    return true;
  }

  private void handleRead(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, 404);
      }
    } catch (Throwable e) {
      callback.failed(e);
    }
  }

  /** The request with its body already read: one chunk, then the end. */
  private static final class ReadBody extends Request.Wrapper {
    private Content.Chunk next;

    ReadBody(Request wrapped, byte[] body) {
      super(wrapped);
      this.next = Content.Chunk.from(ByteBuffer.wrap(body), true);
    }

    @Override
    public synchronized Content.Chunk read() {
      Content.Chunk chunk = next;
      next = Content.Chunk.EOF;
      return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();
    }

    @Override
    public boolean consumeAvailable() {
      synchronized (this) {
        next = Content.Chunk.EOF;
      }
      return true;
    }

    @Override
    public void fail(Throwable failure) {
      synchronized (this) {
        next = Content.Chunk.from(failure, true);
      }
    }
  }
}
