package dev.vigil.telemetry.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Batches whole lines into a buffer that one daemon thread writes to a stream, so that a burst of
 * log lines costs one {@code write(2)} instead of one per line, and lines from many threads never
 * interleave.
 *
 * <p>Callers append under a lock into the active buffer (double buffering, as in Jetty's async
 * request log and log4j2's async loggers); the writer thread swaps it with its spare buffer, writes
 * and flushes the batch, waits a 1 ms batch window, and sleeps until a line comes when nothing is
 * pending. Each thread's lines keep their order. When {@code capacityBytes} are pending, callers
 * block until the writer catches up (lines are never dropped, as with logback's {@code
 * AsyncAppender} and {@code discardingThreshold=0}). A single line longer than the capacity is
 * still taken whole. Lines are encoded as UTF-8; a lone surrogate becomes {@code ?}. Nothing is
 * kept per thread, so request threads (virtual, one per request) cost nothing to set up.
 *
 * <p>Write errors (a closed pipe) drop the batch and are reported once on {@code System.err}.
 */
public final class AsyncLineWriter implements LineSink, AutoCloseable {

  /** Bytes that may be pending before callers block: 1 MiB, ~2,000 access-log lines. */
  public static final int DEFAULT_CAPACITY_BYTES = 1 << 20;

  /**
   * How long the writer thread waits after a write before taking the next batch, in nanoseconds (1
   * ms): it caps wake-ups and writes at ~1,000 per second, so a line rarely costs its caller a
   * wake-up.
   */
  private static final long BATCH_WINDOW_NANOS = 1_000_000;

  private final OutputStream out;
  private final int capacity;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition pending = lock.newCondition();
  private final Condition space = lock.newCondition();
  private final Condition written = lock.newCondition();
  private byte[] active;
  private int count;
  private byte[] spare;
  private char[] chars = new char[512];
  private long appended;
  private long done;
  private boolean closed;
  private boolean reportedError;

  /**
   * Starts a writer and its daemon thread.
   *
   * @param out where batches go; written and flushed only by the writer thread, never closed by it
   * @param capacityBytes bytes that may be pending before callers block, at least 1024
   * @param threadName the writer thread's name, e.g. {@code vigil-stdout}
   * @throws IllegalArgumentException when the capacity is below 1024 bytes
   */
  public AsyncLineWriter(OutputStream out, int capacityBytes, String threadName) {
    if (capacityBytes < 1024) {
      throw new IllegalArgumentException(
          "capacityBytes must be at least 1024, was " + capacityBytes);
    }
    this.out = out;
    this.capacity = capacityBytes;
    this.active = new byte[capacityBytes];
    this.spare = new byte[capacityBytes];
    this.thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::drain);
    thread.start();
  }

  /**
   * The writer of the process's stdout, shared by the access log and every logback event ({@link
   * StdoutAppender}), so they are the only writer of stdout. It writes to whatever {@link
   * System#out} is when a batch goes out.
   *
   * @return the same writer on every call
   */
  public static AsyncLineWriter stdout() {
    return Stdout.WRITER;
  }

  @Override
  public void writeLine(CharSequence line) {
    int n = line.length();
    lock.lock();
    try {
      reserve(3 * n + 1); // UTF-8 needs at most 3 bytes per UTF-16 char
      if (chars.length < n) {
        chars = new char[Math.max(n, 2 * chars.length)];
      }
      copyChars(line, n, chars);
      appendUtf8(chars, n);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes bytes that already form whole lines (each ending with a newline), e.g. an encoded logback
   * event.
   *
   * @param lines UTF-8 bytes of one or more whole lines; copied before this method returns
   */
  public void writeLines(byte[] lines) {
    lock.lock();
    try {
      reserve(lines.length);
      System.arraycopy(lines, 0, active, count, lines.length);
      count += lines.length;
      appended += lines.length;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every line taken before this call has been written and flushed (or dropped on a
   * write error).
   *
   * @param timeout the longest wait
   * @return {@code true} when everything was written, {@code false} when the timeout passed first
   */
  public boolean flush(Duration timeout) {
    long nanos = timeout.toNanos();
    lock.lock();
    try {
      long target = appended;
      while (done < target) {
        if (nanos <= 0) {
          return false;
        }
        nanos = written.awaitNanos(nanos);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes what is pending (waiting up to 10 s) and stops the writer thread; later lines throw
   * {@link IllegalStateException}. The stream is not closed. The shared {@link #stdout()} writer is
   * never closed: flush it instead.
   */
  @Override
  public void close() {
    flush(Duration.ofSeconds(10));
    lock.lock();
    try {
      closed = true;
      pending.signalAll();
      space.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Makes room for {@code need} bytes in the active buffer; the caller holds the lock. */
  private void reserve(int need) {
    while (count + need > active.length) {
      if (closed) {
        break;
      }
      if (count == 0) {
        active = new byte[need]; // one line longer than the capacity: taken whole
        break;
      }
      space.awaitUninterruptibly();
    }
    if (closed) {
      throw new IllegalStateException(
          "this line writer is closed; lines can no longer be written to it");
    }
    if (count == 0) {
      pending.signal();
    }
  }

  private static void copyChars(CharSequence line, int n, char[] into) {
    if (line instanceof String s) {
      s.getChars(0, n, into, 0);
    } else if (line instanceof StringBuilder sb) {
      sb.getChars(0, n, into, 0);
    } else {
      for (int i = 0; i < n; i++) {
        into[i] = line.charAt(i);
      }
    }
  }

  /** Encodes {@code n} chars and a newline into the active buffer; the caller holds the lock. */
  private void appendUtf8(char[] in, int n) {
    byte[] buf = active;
    int at = count;
    for (int i = 0; i < n; i++) {
      char c = in[i];
      if (c < 0x80) {
        buf[at++] = (byte) c;
      } else if (c < 0x800) {
        buf[at++] = (byte) (0xc0 | (c >> 6));
        buf[at++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(in[i + 1])) {
        int cp = Character.toCodePoint(c, in[++i]);
        buf[at++] = (byte) (0xf0 | (cp >> 18));
        buf[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[at++] = (byte) (0x80 | (cp & 0x3f));
      } else if (Character.isSurrogate(c)) {
        buf[at++] = '?';
      } else {
        buf[at++] = (byte) (0xe0 | (c >> 12));
        buf[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[at++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    buf[at++] = '\n';
    appended += at - count;
    count = at;
  }

  /**
   * The writer thread: swap, write, flush, wait the batch window, repeat; sleeps while nothing is
   * pending.
   */
  private void drain() {
    while (true) {
      byte[] batch;
      int n;
      lock.lock();
      try {
        while (count == 0) {
          if (closed) {
            return;
          }
          pending.awaitUninterruptibly();
        }
        batch = active;
        n = count;
        active = spare;
        count = 0;
        space.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        out.write(batch, 0, n);
        out.flush();
      } catch (IOException | RuntimeException e) {
        reportOnce(e);
      }
      lock.lock();
      try {
        spare = batch.length > capacity ? new byte[capacity] : batch;
        done += n;
        written.signalAll();
      } finally {
        lock.unlock();
      }
      LockSupport.parkNanos(BATCH_WINDOW_NANOS);
    }
  }

  private void reportOnce(Exception e) {
    if (!reportedError) {
      reportedError = true;
      System.err.println("vigil: log lines dropped, cannot write them: " + e);
    }
  }

  /** Holder of the shared stdout writer, created on first use. */
  private static final class Stdout {
    static final AsyncLineWriter WRITER =
        new AsyncLineWriter(new CurrentSystemOut(), DEFAULT_CAPACITY_BYTES, "vigil-stdout");
  }

  /** {@link System#out} as it is at each write. */
  private static final class CurrentSystemOut extends OutputStream {
    @Override
    public void write(int b) {
      System.out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      System.out.write(b, off, len);
    }

    @Override
    public void flush() {
      System.out.flush();
    }
  }
}
