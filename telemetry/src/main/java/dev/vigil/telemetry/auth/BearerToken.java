package dev.vigil.telemetry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * A shared secret a caller sends as {@code Authorization: Bearer <token>} (RFC 6750), checked in
 * constant time ({@link MessageDigest#isEqual}). The scheme name is case-insensitive, as RFC 9110
 * section 11.1 says of every authentication scheme: {@code bearer} and {@code BEARER} are accepted.
 */
public final class BearerToken {

  /** The shortest token accepted at start, in characters (32 base64 characters = 192 bits). */
  public static final int MIN_LENGTH = 32;

  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  /**
   * @param token the secret; a token read from the environment is first checked with {@link
   *     #checkLength}
   */
  public BearerToken(String token) {
    this.expected = token.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Refuses a token too short to resist guessing, naming where it came from.
   *
   * @param variable where the token was read, e.g. {@code VIGIL_ADMIN_TOKEN}
   * @param token the token, or {@code null} (accepted here: no token means the feature is off)
   * @throws IllegalArgumentException when the token has fewer than {@value #MIN_LENGTH} characters;
   *     the message names the variable and the token's length, never the token
   */
  public static void checkLength(String variable, String token) {
    if (token != null && token.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          variable
              + " is "
              + token.length()
              + " characters long: use a random token of at least "
              + MIN_LENGTH
              + " characters (e.g. openssl rand -base64 32)");
    }
  }

  /**
   * Whether an {@code Authorization} header carries this token.
   *
   * @param authorization the header's value, or {@code null} when absent
   * @return true for {@code Bearer <token>} with any case of the scheme name and this exact token
   */
  public boolean accepts(String authorization) {
    if (authorization == null
        || authorization.length() < SCHEME.length()
        || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return false;
    }
    byte[] given =
        authorization.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "BearerToken[***]";
  }
}
