package dev.vigil.telemetry.errors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The stable identity of a failure: what groups two occurrences of "the same error" together.
 *
 * <p>It is computed from the exception's type and its top application frames, then the same for
 * each cause down the chain (at most {@value #MAX_CAUSES} throwables):
 *
 * <ul>
 *   <li>application frames are those whose class name starts with one of the configured prefixes
 *       (vigil's default: {@code dev.vigil.}); the top {@value #FRAMES_PER_THROWABLE} of each
 *       throwable count, as {@code class#method}. A throwable with no application frame uses its
 *       top frames of any origin instead;
 *   <li>line numbers, file names and messages are ignored, so a new release that moves code or a
 *       message that carries an id keeps the fingerprint;
 *   <li>names of generated classes are normalised: {@code Foo$$Lambda/0x0000...} becomes {@code
 *       Foo$$Lambda} and {@code $Proxy12} becomes {@code $Proxy}, whose suffixes change per run.
 * </ul>
 *
 * The value is the first 16 hex digits (64 bits) of the SHA-256 of that text, the same idea as
 * Sentry's stack-trace grouping (https://docs.sentry.io/concepts/data-management/event-grouping/).
 *
 * @param value 16 lowercase hex digits
 * @param type the outermost exception's class name, e.g. {@code java.lang.IllegalStateException}
 * @param frames the top application frames of the outermost exception, {@code class#method}, most
 *     recent first (at most {@value #FRAMES_PER_THROWABLE}); empty when it has no frame at all
 */
public record ExceptionFingerprint(String value, String type, List<String> frames) {

  /** Top frames of each throwable that enter the fingerprint. */
  public static final int FRAMES_PER_THROWABLE = 3;

  /** Throwables of a cause chain that enter the fingerprint, the outermost first. */
  public static final int MAX_CAUSES = 5;

  private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda[^.$]*(?:/0x[0-9a-f]+)?");
  private static final Pattern PROXY = Pattern.compile("\\$Proxy\\d+");

  /** A defensive copy of the frames; the record is immutable. */
  public ExceptionFingerprint {
    frames = List.copyOf(frames);
  }

  /**
   * Computes the fingerprint of a failure.
   *
   * @param failure the exception, with its causes
   * @param applicationPrefixes class-name prefixes of the application's own code, e.g. {@code
   *     ["dev.vigil."]}
   * @return its fingerprint
   */
  public static ExceptionFingerprint of(Throwable failure, List<String> applicationPrefixes) {
    StringBuilder text = new StringBuilder();
    List<String> outerFrames = null;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_CAUSES && seen.add(t); t = t.getCause()) {
      List<String> frames = topFrames(t.getStackTrace(), applicationPrefixes);
      if (outerFrames == null) {
        outerFrames = frames;
      }
      text.append(depth == 0 ? "" : "\ncaused by ").append(t.getClass().getName());
      for (String frame : frames) {
        text.append("\n at ").append(frame);
      }
      depth++;
    }
    return new ExceptionFingerprint(
        sha256Prefix(text.toString()), failure.getClass().getName(), outerFrames);
  }

  /**
   * The top frames of a stack trace that identify it: application frames when there are any,
   * otherwise the top frames of any origin.
   */
  static List<String> topFrames(StackTraceElement[] trace, List<String> applicationPrefixes) {
    List<String> application = new ArrayList<>(FRAMES_PER_THROWABLE);
    for (StackTraceElement frame : trace) {
      if (isApplication(frame.getClassName(), applicationPrefixes)) {
        application.add(name(frame));
        if (application.size() == FRAMES_PER_THROWABLE) {
          break;
        }
      }
    }
    if (!application.isEmpty()) {
      return application;
    }
    List<String> any = new ArrayList<>(FRAMES_PER_THROWABLE);
    for (int i = 0; i < trace.length && i < FRAMES_PER_THROWABLE; i++) {
      any.add(name(trace[i]));
    }
    return any;
  }

  private static boolean isApplication(String className, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String name(StackTraceElement frame) {
    String type = LAMBDA.matcher(frame.getClassName()).replaceAll("\\$\\$Lambda");
    type = PROXY.matcher(type).replaceAll("\\$Proxy");
    return type + "#" + frame.getMethodName();
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
