package dev.vigil.telemetry.config;

import java.util.regex.Pattern;

/**
 * Masks the secrets a URL can carry before it is printed in a message or a log line: the password
 * of {@code user:password@host}, and the value of query or JDBC parameters named like a secret
 * ({@code password}, {@code passwd}, {@code pwd}, {@code secret}, {@code token}, {@code key}, ...),
 * as in {@code jdbc:postgresql://db/catalog?user=app&password=s3cret} or {@code
 * jdbc:h2:file:x;PASSWORD=s3cret}.
 */
public final class UrlSecrets {

  /** What a secret is replaced with. */
  public static final String MASK = "****";

  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@\\s]*):[^@/\\s]*@");
  private static final Pattern PARAMETER =
      Pattern.compile(
          "(?i)([?&;]\\s*[a-z_.-]*(?:password|passwd|pwd|secret|token|key)[a-z_.-]*\\s*=)[^&;\\s]*");

  private UrlSecrets() {}

  /**
   * Masks the secrets of every URL in a text.
   *
   * @param text a URL or a message containing URLs, possibly {@code null}
   * @return the text with each secret replaced by {@value #MASK}; {@code null} for {@code null}
   */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
    return PARAMETER.matcher(masked).replaceAll("$1" + MASK);
  }
}
