package dev.vigil.telemetry.logging;

import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * One INFO line per request on the logger {@code http.access}, with the fields {@code method},
 * {@code endpoint} (route template), {@code path} (without query string, which may carry secrets),
 * {@code status}, {@code duration_ms} and {@code bytes}; {@code request_id} (and {@code trace_id},
 * {@code span_id} when tracing) come from the MDC. Headers are never logged, so Authorization and
 * Cookie values cannot leak.
 *
 * <p>The line has the fields, names and order of every other vigil log line (see {@code
 * logback.xml}), e.g.
 *
 * <pre>{@code
 * {"timestamp":"2026-11-21T21:23:02.507981196Z","level":"INFO","logger":"http.access",
 *  "message":"GET /api/products/42 200","thread":"JettyServerThreadPool-Virtual-3",
 *  "request_id":"7b20fb8067e15f7990d5630918b4d9d0","method":"GET","endpoint":"/api/products/{id}",
 *  "path":"/api/products/42","status":200,"duration_ms":2.541,"bytes":84}
 * }</pre>
 *
 * (one line). It is written straight as JSON to a {@link LineSink} rather than through a logback
 * event and encoder, which cost ~10% of a request's CPU; the {@code http.access} logger's level
 * (logback configuration, {@code LOG_LEVEL}) still turns it off.
 */
public final class AccessLog {

  /** The logger name of access lines; its level switches them on and off. */
  public static final String LOGGER = "http.access";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final String PREFIX_TAIL =
      "\",\"level\":\"INFO\",\"logger\":\"" + LOGGER + "\",\"message\":\"";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * The ISO-8601 text of the last second seen, shared by all threads (immutable, replaced whole).
   */
  private static volatile SecondText lastSecond = new SecondText(Long.MIN_VALUE, "");

  private final LineSink sink;

  /** The builders lines are formatted in, reused: a line allocates none. */
  private final BuilderPool builders = new BuilderPool();

  private final java.util.Set<String> secretPathParameters;

  /** An access log writing to the process's stdout through {@link AsyncLineWriter#stdout()}. */
  public AccessLog() {
    this(AsyncLineWriter.stdout());
  }

  /**
   * An access log to stdout that never writes the values of some path parameters: in the {@code
   * path} field and the message, the segment of each such parameter reads {@code ***}.
   *
   * @param secretPathParameters parameter names of route templates, e.g. {@code key} for {@code
   *     /api/payments/by-key/{key}} (an idempotency key is a capability: who knows it may void it)
   */
  public AccessLog(java.util.Set<String> secretPathParameters) {
    this.sink = AsyncLineWriter.stdout();
    this.secretPathParameters = java.util.Set.copyOf(secretPathParameters);
  }

  /**
   * An access log writing its lines to the given sink.
   *
   * @param sink where each JSON line goes, e.g. an {@link AsyncLineWriter} on a file
   */
  public AccessLog(LineSink sink) {
    this.sink = sink;
    this.secretPathParameters = java.util.Set.of();
  }

  /**
   * The path with the segment of every secret parameter of its template replaced by {@code ***}.
   *
   * @param template the route template, e.g. {@code /api/payments/by-key/{key}/void}
   * @param path the request path matched by it, e.g. {@code /api/payments/by-key/k-1/void}
   * @param secret parameter names whose values are hidden, e.g. {@code key}
   * @return e.g. {@code /api/payments/by-key/***}{@code /void}; the path unchanged when the
   *     template has no secret parameter or its segments do not line up with the path's
   */
  public static String redact(String template, String path, java.util.Set<String> secret) {
    if (secret.isEmpty() || template == null || template.indexOf('{') < 0) {
      return path;
    }
    String[] names = template.split("/", -1);
    String[] values = path.split("/", -1);
    if (names.length != values.length) {
      return path;
    }
    boolean changed = false;
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      if (name.length() > 2
          && name.charAt(0) == '{'
          && name.charAt(name.length() - 1) == '}'
          && secret.contains(name.substring(1, name.length() - 1))) {
        values[i] = "***";
        changed = true;
      }
    }
    return changed ? String.join("/", values) : path;
  }

  /**
   * Writes the line for one request, unless the {@code http.access} logger is above INFO.
   *
   * @param method the HTTP method, e.g. {@code GET}
   * @param endpoint the route template or {@code NOT_FOUND}
   * @param path the request path without query string
   * @param status the response status code
   * @param durationMs the time from request received to response written, in milliseconds (logged
   *     rounded to 3 decimals)
   * @param bytes response body bytes written, or -1 when unknown
   */
  public void record(
      String method, String endpoint, String path, int status, double durationMs, long bytes) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    path = redact(endpoint, path, secretPathParameters);
    StringBuilder line = builders.take();
    try {
      format(line, method, endpoint, path, status, durationMs, bytes);
      sink.writeLine(line);
    } finally {
      builders.give(line);
    }
  }

  private static void format(
      StringBuilder line,
      String method,
      String endpoint,
      String path,
      int status,
      double durationMs,
      long bytes) {
    line.append("{\"timestamp\":\"");
    appendInstant(line, Instant.now());
    line.append(PREFIX_TAIL);
    appendEscaped(line, method);
    line.append(' ');
    appendEscaped(line, path);
    line.append(' ').append(status).append("\",\"thread\":\"");
    appendEscaped(line, Thread.currentThread().getName());
    line.append('"');
    // forEach, not entrySet(): logback's map is unmodifiable, whose entry iteration wraps each
    // entry
    mdc().forEach((key, value) -> appendField(line, key, value));
    line.append(",\"method\":\"");
    appendEscaped(line, method);
    line.append("\",\"endpoint\":\"");
    appendEscaped(line, endpoint);
    line.append("\",\"path\":\"");
    appendEscaped(line, path);
    line.append("\",\"status\":").append(status).append(",\"duration_ms\":");
    appendMillis(line, durationMs);
    line.append(",\"bytes\":").append(bytes).append('}');
  }

  private static void appendField(StringBuilder line, String key, String value) {
    line.append(",\"");
    appendEscaped(line, key);
    line.append("\":");
    if (value == null) {
      line.append("null");
    } else {
      line.append('"');
      appendEscaped(line, value);
      line.append('"');
    }
  }

  /**
   * The calling thread's MDC without a copy when logback holds it (logback reuses the same
   * read-only map).
   */
  private static Map<String, String> mdc() {
    MDCAdapter adapter = MDC.getMDCAdapter();
    Map<String, String> map =
        adapter instanceof LogbackMDCAdapter logback
            ? logback.getPropertyMap()
            : adapter.getCopyOfContextMap();
    return map == null ? Map.of() : map;
  }

  /**
   * Appends a duration rounded to 3 decimals exactly as {@code StringBuilder.append(double)} writes
   * {@code Math.round(ms * 1000.0) / 1000.0} ({@code 2.541}, {@code 2.5}, {@code 0.0}), without the
   * double-to-text conversion's garbage; values it would write otherwise (negative, NaN, 10^7 ms
   * and more, in scientific notation) go through it.
   */
  static void appendMillis(StringBuilder out, double ms) {
    long micros = Math.round(ms * 1000.0);
    if (!(ms >= 0) || micros >= 10_000_000_000L) {
      out.append(micros / 1000.0);
      return;
    }
    out.append(micros / 1000).append('.');
    int fraction = (int) (micros % 1000);
    if (fraction == 0) {
      out.append('0');
      return;
    }
    out.append((char) ('0' + fraction / 100));
    if (fraction % 100 != 0) {
      out.append((char) ('0' + fraction / 10 % 10));
      if (fraction % 10 != 0) {
        out.append((char) ('0' + fraction % 10));
      }
    }
  }

  /**
   * Appends an instant as {@link DateTimeFormatter#ISO_INSTANT} does (logstash's {@code
   * [ISO_INSTANT]}): seconds, then 0, 3, 6 or 9 fraction digits, then {@code Z}.
   */
  static void appendInstant(StringBuilder out, Instant instant) {
    long second = instant.getEpochSecond();
    SecondText text = lastSecond;
    if (text.epochSecond != second) {
      String iso = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second));
      text = new SecondText(second, iso.substring(0, iso.length() - 1));
      lastSecond = text;
    }
    out.append(text.text);
    int nano = instant.getNano();
    if (nano != 0) {
      int digits;
      int value;
      if (nano % 1_000_000 == 0) {
        digits = 3;
        value = nano / 1_000_000;
      } else if (nano % 1000 == 0) {
        digits = 6;
        value = nano / 1000;
      } else {
        digits = 9;
        value = nano;
      }
      out.append('.');
      for (int scale = digits == 3 ? 100 : digits == 6 ? 100_000 : 100_000_000;
          scale > 0;
          scale /= 10) {
        out.append((char) ('0' + (value / scale) % 10));
      }
    }
    out.append('Z');
  }

  /**
   * Appends a string's JSON escape as Jackson writes it: {@code "} and {@code \} backslashed,
   * control characters as {@code \n \r \t \b \f} or a backslash, {@code u00} and two upper-case hex
   * digits, everything else (non-ASCII included) as is; {@code null} as the text {@code null}, as a
   * log message would show it.
   */
  static void appendEscaped(StringBuilder out, String value) {
    if (value == null) {
      out.append("null");
      return;
    }
    int n = value.length();
    int start = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
        continue;
      }
      out.append(value, start, i).append('\\');
      switch (c) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '\n' -> out.append('n');
        case '\r' -> out.append('r');
        case '\t' -> out.append('t');
        case '\b' -> out.append('b');
        case '\f' -> out.append('f');
        default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
      start = i + 1;
    }
    out.append(value, start, n);
  }

  /**
   * A few {@link StringBuilder}s shared by the request threads: {@link #take} one (a new one when
   * all are taken), {@link #give} it back. Request threads are virtual and live for one request, so
   * a per-thread builder would be a new one per line; two atomic operations cost less than
   * allocating and zeroing half a kilobyte per request.
   */
  static final class BuilderPool {
    private static final int SLOTS = 16;
    private static final int CAPACITY = 512;

    /** Builders that grew beyond this are dropped rather than kept. */
    private static final int MAX_KEPT = 8192;

    private final java.util.concurrent.atomic.AtomicReferenceArray<StringBuilder> slots =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(SLOTS);

    /** An empty builder, from the pool when one is free. */
    StringBuilder take() {
      int start = (int) Thread.currentThread().threadId() & (SLOTS - 1);
      for (int i = 0; i < SLOTS; i++) {
        int slot = (start + i) & (SLOTS - 1);
        StringBuilder free = slots.getPlain(slot);
        if (free != null && slots.compareAndSet(slot, free, null)) {
          free.setLength(0);
          return free;
        }
      }
      return new StringBuilder(CAPACITY);
    }

    /** Returns a builder to the pool (dropped when the pool is full or the builder grew large). */
    void give(StringBuilder builder) {
      if (builder.capacity() > MAX_KEPT) {
        return;
      }
      int start = (int) Thread.currentThread().threadId() & (SLOTS - 1);
      for (int i = 0; i < SLOTS; i++) {
        int slot = (start + i) & (SLOTS - 1);
        if (slots.getPlain(slot) == null && slots.compareAndSet(slot, null, builder)) {
          return;
        }
      }
    }
  }

  /** One epoch second and its ISO-8601 text up to the seconds, e.g. {@code 2026-11-21T21:23:02}. */
  private record SecondText(long epochSecond, String text) {}
}
