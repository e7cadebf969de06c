package dev.vigil.telemetry.errors;

import io.sentry.Sentry;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the error tracker's occurrences to Sentry through Sentry's official Java SDK ({@code
 * io.sentry:sentry}), for teams that run Sentry. Off unless {@code SENTRY_DSN} is set: without it
 * no Sentry client exists and nothing leaves the machine.
 *
 * <p>Each event carries vigil's fingerprint as Sentry's grouping fingerprint (so Sentry groups as
 * {@code /admin/errors} does), the release, and tags {@code service}, {@code trace_id}, {@code
 * request_id} and {@code worker} (a background worker's failure). Default PII (user IP, headers) is
 * not sent, and the SDK does not install its own uncaught-exception handler.
 *
 * <p>The SDK is a process-wide singleton ({@code Sentry.init}): one forwarding per JVM.
 */
public final class SentryForwarding implements AutoCloseable {

  /** The environment variable with the Sentry DSN ({@code https://key@host/project}). */
  public static final String DSN_VARIABLE = "SENTRY_DSN";

  /** Longest time {@link #close()} waits for queued events to be sent, in milliseconds. */
  public static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(SentryForwarding.class);

  private final String service;

  private SentryForwarding(String service) {
    this.service = service;
  }

  /**
   * Starts Sentry's SDK when {@value #DSN_VARIABLE} is set.
   *
   * @param env the environment, usually {@code System.getenv()}; reads {@value #DSN_VARIABLE} and
   *     {@code SENTRY_ENVIRONMENT} (optional, e.g. {@code production})
   * @param service the service name, e.g. {@code catalog}, sent as tag {@code service}
   * @param release the service version, e.g. {@code 0.1.0}, sent as the event's release
   * @return the forwarding, or empty when {@value #DSN_VARIABLE} is unset or blank
   * @throws IllegalArgumentException when the DSN is not a URL with a key and a project id (the
   *     message says so without echoing the key)
   */
  public static Optional<SentryForwarding> fromEnvironment(
      Map<String, String> env, String service, String release) {
    String dsn = env.get(DSN_VARIABLE);
    if (dsn == null || dsn.isBlank()) {
      return Optional.empty();
    }
    String host = hostOf(dsn.trim());
    Sentry.init(
        options -> {
          options.setDsn(dsn.trim());
          options.setRelease(release);
          String environment = env.get("SENTRY_ENVIRONMENT");
          if (environment != null && !environment.isBlank()) {
            options.setEnvironment(environment);
          }
          options.setSendDefaultPii(false);
          options.setEnableUncaughtExceptionHandler(false);
          options.setEnableExternalConfiguration(false);
          options.setShutdownTimeoutMillis(SHUTDOWN_TIMEOUT_MILLIS);
          options.setFlushTimeoutMillis(SHUTDOWN_TIMEOUT_MILLIS);
        });
    LOG.info("error tracking: unhandled exceptions also go to Sentry at {}", host);
    return Optional.of(new SentryForwarding(service));
  }

  /**
   * Queues one occurrence for Sentry (sent on the SDK's own thread; never blocks the request).
   *
   * @param occurrence what the error tracker recorded
   */
  public void send(ErrorOccurrence occurrence) {
    SentryEvent event = new SentryEvent(occurrence.failure());
    event.setLevel(SentryLevel.ERROR);
    event.setRelease(occurrence.release());
    event.setFingerprints(List.of(occurrence.fingerprint().value()));
    event.setTag("service", service);
    event.setTag("fingerprint", occurrence.fingerprint().value());
    if (occurrence.traceId() != null) {
      event.setTag("trace_id", occurrence.traceId());
    }
    if (occurrence.requestId() != null) {
      event.setTag("request_id", occurrence.requestId());
    }
    if (occurrence.worker() != null) {
      event.setTag("worker", occurrence.worker());
    }
    Sentry.captureEvent(event);
  }

  /** Sends what is queued (waiting at most {@value #SHUTDOWN_TIMEOUT_MILLIS} ms) and stops. */
  @Override
  public void close() {
    Sentry.close();
  }

  private static String hostOf(String dsn) {
    try {
      URI uri = URI.create(dsn);
      if (uri.getHost() == null || uri.getUserInfo() == null || uri.getPath().length() < 2) {
        throw new IllegalArgumentException("no host, key or project");
      }
      return uri.getHost();
    } catch (IllegalArgumentException e) {
      // not chained: the parser's message would echo the DSN, key included
      throw new IllegalArgumentException(
          DSN_VARIABLE
              + " is not a Sentry DSN: give the project's DSN from Sentry's settings, "
              + "of the form https://<key>@<host>/<project id>, or unset it");
    }
  }
}
