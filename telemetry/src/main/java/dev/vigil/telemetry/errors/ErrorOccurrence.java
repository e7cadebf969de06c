package dev.vigil.telemetry.errors;

/**
 * One unhandled exception as the error tracker records it.
 *
 * @param failure the exception, with its causes
 * @param fingerprint its group
 * @param traceId the trace id (32 hex digits) of the request it failed, or {@code null}
 * @param requestId the request id of the request it failed, or {@code null}
 * @param release the service version, e.g. {@code 0.1.0}
 * @param firstOfGroup whether it opened a new group (its fingerprint was not known to this process)
 */
public record ErrorOccurrence(
    Throwable failure,
    ExceptionFingerprint fingerprint,
    String traceId,
    String requestId,
    String release,
    boolean firstOfGroup) {}
