package dev.vigil.telemetry.logging;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: accepted from the {@code X-Request-Id} header when well-formed, generated otherwise.
 *
 * <p>An accepted id has 1..{@value #MAX_LENGTH} characters from {@code [A-Za-z0-9._:-]}, so a
 * caller can neither inject log fields nor make ids unbounded. Generated ids are 32 lower-case hex
 * digits.
 */
public final class RequestIds {

  /** The header that carries the id in both directions. */
  public static final String HEADER = "X-Request-Id";

  /** The MDC key (and JSON log field) holding the id during a request. */
  public static final String MDC_KEY = "request_id";

  /** Longest accepted id, in characters. */
  public static final int MAX_LENGTH = 128;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  /**
   * Returns the caller's id when well-formed, a new one otherwise.
   *
   * @param header the {@code X-Request-Id} value as received, possibly {@code null}
   * @return the id to log and echo
   */
  public static String acceptOrGenerate(String header) {
    return isValid(header) ? header : generate();
  }

  /**
   * Whether an id may be used as given.
   *
   * @param id a candidate id, possibly {@code null}
   * @return {@code true} for 1..128 characters of {@code [A-Za-z0-9._:-]}
   */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Generates a random id of 32 hex digits (128 bits from {@link ThreadLocalRandom}). */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    long hi = random.nextLong();
    long lo = random.nextLong();
    for (int i = 0; i < 16; i++) {
      out[15 - i] = HEX[(int) (hi >>> (4 * i)) & 0xf];
      out[31 - i] = HEX[(int) (lo >>> (4 * i)) & 0xf];
    }
    return new String(out);
  }
}
