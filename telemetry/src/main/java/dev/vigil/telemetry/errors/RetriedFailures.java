package dev.vigil.telemetry.errors;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failures of one retry loop: a worker that retries the same work until it succeeds, e.g. the
 * schema migration while the database is down at start. Every failed attempt is recorded in the
 * {@link ErrorTracker} (so a group's count is the number of failed attempts, as with {@link
 * ErrorTracker#recordWorkerFailure}), but only the first attempt that fails with a given {@link
 * ExceptionFingerprint} since the loop last succeeded is logged with its stack trace (at ERROR, as
 * {@code recordWorkerFailure} logs it); every later attempt with the same fingerprint is one WARN
 * line with the worker, the fingerprint, the attempt and the failure's message (whitespace runs,
 * line breaks included, collapsed to one space, cut at {@value ErrorTracker#MAX_MESSAGE_CHARS}
 * characters). A retry every 2 seconds during an outage is then one stack trace and one short line
 * per attempt, not a stack trace per attempt.
 *
 * <p>Bounded: at most {@value #MAX_REMEMBERED} fingerprints are remembered per outage; beyond, the
 * one logged in full longest ago is forgotten (and logged in full again if it recurs). Thread-safe.
 */
public final class RetriedFailures {

  /** Most fingerprints remembered as already logged in full during one outage. */
  public static final int MAX_REMEMBERED = 32;

  private static final Logger LOG = LoggerFactory.getLogger(RetriedFailures.class);
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final ErrorTracker errors;
  private final String worker;

  /** fingerprint -> the attempt that logged it in full; insertion order, the oldest first. */
  private final LinkedHashMap<String, Long> loggedInFull =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_REMEMBERED;
        }
      };

  private long attempts;

  /**
   * The failures of one retry loop.
   *
   * @param errors the service's error tracker
   * @param worker the worker's name, e.g. {@code migrations}
   */
  public RetriedFailures(ErrorTracker errors, String worker) {
    this.errors = Objects.requireNonNull(errors, "errors");
    this.worker = Objects.requireNonNull(worker, "worker");
  }

  /**
   * Records a failed attempt and logs it: in full the first time its fingerprint fails in this
   * outage, as one WARN line otherwise.
   *
   * @param what what failed and what happens next, e.g. {@code "schema migration failed, retrying
   *     in 2 s"}
   * @param failure the exception
   * @return the occurrence as recorded, with its fingerprint
   */
  public synchronized ErrorOccurrence failed(String what, Throwable failure) {
    attempts++;
    ErrorOccurrence occurrence = errors.recordUnlogged(worker, failure);
    String fingerprint = occurrence.fingerprint().value();
    Long first = loggedInFull.get(fingerprint);
    if (first == null) {
      loggedInFull.put(fingerprint, attempts);
      ErrorTracker.logInFull(worker, what, occurrence);
    } else {
      LOG.atWarn()
          .addKeyValue("worker", worker)
          .addKeyValue("fingerprint", fingerprint)
          .addKeyValue("attempt", attempts)
          .log(
              "{} in worker {} (attempt {}, error group {}, stack trace logged at attempt {}): {}",
              what,
              worker,
              attempts,
              fingerprint,
              first,
              oneLine(failure));
    }
    return occurrence;
  }

  /** Ends the outage: the next failure is logged in full again, and attempts count from 1 again. */
  public synchronized void succeeded() {
    loggedInFull.clear();
    attempts = 0;
  }

  private static String oneLine(Throwable failure) {
    String text = WHITESPACE.matcher(failure.toString()).replaceAll(" ").strip();
    return text.length() <= ErrorTracker.MAX_MESSAGE_CHARS
        ? text
        : text.substring(0, ErrorTracker.MAX_MESSAGE_CHARS) + "…";
  }
}
