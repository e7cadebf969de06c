package dev.vigil.telemetry.errors;

/**
 * One unhandled exception as the error tracker records it.
 *
 * @param failure the exception, with its causes
 * @param fingerprint its group
 * @param traceId the trace id (32 hex digits) of the request it failed, or {@code null}
 * @param requestId the request id of the request it failed, or {@code null}
 * @param worker the background worker it failed, e.g. {@code order-reconciler}, or {@code null} for
 *     a request's failure
 * @param release the service version, e.g. {@code 0.1.0}
 * @param firstOfGroup whether it opened a new group (its fingerprint was not known to the service)
 */
public record ErrorOccurrence(
    Throwable failure,
    ExceptionFingerprint fingerprint,
    String traceId,
    String requestId,
    String worker,
    String release,
    boolean firstOfGroup) {}
