package dev.vigil.telemetry.errors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vigil.prometheus.StateDirectory;
import dev.vigil.telemetry.logging.RequestIds;
import dev.vigil.telemetry.tracing.LogCorrelation;
import io.javalin.config.Key;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Error tracking: groups a service's unhandled exceptions by {@link ExceptionFingerprint}, keeps
 * for each group its count, first and last time seen, the latest trace and request ids, the
 * background workers it failed in and the release, and counts them in {@code
 * app_exceptions_total{type}}. Requests' failures come through {@link #record} (the telemetry
 * plugin's problem handler calls it for every 500); background workers' failures (a scheduled pass,
 * a queue consumer) through {@link #recordWorkerFailure}, which also logs them.
 *
 * <p>Everything is bounded:
 *
 * <ul>
 *   <li>at most {@code maxGroups} groups are held (default {@value #DEFAULT_MAX_GROUPS}); beyond,
 *       Caffeine evicts by W-TinyLFU (a count-min sketch of how often each fingerprint recurs), so
 *       a flood of one-off failures does not push out the frequent ones;
 *   <li>each group keeps the latest {@value #LATEST_IDS} trace ids, request ids and worker names;
 *   <li>{@code app_exceptions_total} has one {@code type} value per exception class for the first
 *       {@code maxTypes} classes seen (default {@value #DEFAULT_MAX_TYPES}), then {@value
 *       #OTHER_TYPE}: never one series per fingerprint.
 * </ul>
 *
 * The first occurrence of a fingerprint the service has not seen is logged once at WARN, with its
 * trace id: after a deploy, that line is the new error the release brought. The known fingerprints
 * (at most 10 times {@code maxGroups}, each with the release that first saw it) are kept in memory,
 * or with {@link Builder#dataDir} in a file there, so that a restart does not announce every group
 * again ({@link KnownFingerprints}). With a {@link SentryForwarding} every occurrence also goes to
 * Sentry, grouped there by the same fingerprint.
 *
 * <pre>{@code
 * ErrorTracker errors = ErrorTracker.builder()
 *     .service("catalog").release("1.4.2").registry(registry).dataDir(Path.of(".vigil"))
 *     .build();
 * errors.record(failure, traceId, requestId);                  // a request's 500
 * errors.recordWorkerFailure("reconciler", "settle order 42", failure);
 * errors.groups();                                             // latest seen first
 * }</pre>
 *
 * A Javalin service gets one from {@link dev.vigil.telemetry.TelemetryPlugin#errors()} instead.
 */
public final class ErrorTracker implements AutoCloseable {

  /** Where the telemetry plugin keeps the tracker in a Javalin application's data. */
  public static final Key<ErrorTracker> KEY = new Key<>("vigil-error-tracker");

  /** Trace ids and request ids kept per group, the newest. */
  public static final int LATEST_IDS = 5;

  /** Longest message kept per group, in characters. */
  public static final int MAX_MESSAGE_CHARS = 200;

  /** Default cap on groups held. */
  public static final int DEFAULT_MAX_GROUPS = 500;

  /** Default cap on distinct {@code type} label values of {@code app_exceptions_total}. */
  public static final int DEFAULT_MAX_TYPES = 20;

  /** The {@code type} label of exception classes beyond the cap. */
  public static final String OTHER_TYPE = "other";

  /** Known fingerprints kept per group held: what was seen recently enough to be "not new". */
  public static final int KNOWN_PER_GROUP = 10;

  /** vigil's own code: the default application frames. */
  public static final List<String> DEFAULT_APPLICATION_PREFIXES = List.of("dev.vigil.");

  private static final Logger LOG = LoggerFactory.getLogger(ErrorTracker.class);

  private final String service;
  private final String release;
  private final List<String> applicationPrefixes;
  private final int maxTypes;
  private final Clock clock;
  private final SentryForwarding sentry;
  private final Cache<String, GroupState> groups;
  private final KnownFingerprints known;
  private final ConcurrentHashMap<String, String> typeLabels = new ConcurrentHashMap<>();
  private final Counter exceptions;

  private ErrorTracker(Builder b) {
    this.service = b.service;
    this.release = b.release;
    this.applicationPrefixes = List.copyOf(b.applicationPrefixes);
    this.maxTypes = b.maxTypes;
    this.clock = b.clock;
    this.sentry = b.sentry;
    this.groups = Caffeine.newBuilder().maximumSize(b.maxGroups).executor(Runnable::run).build();
    int knownCapacity = KNOWN_PER_GROUP * b.maxGroups;
    this.known =
        b.dataDir == null
            ? KnownFingerprints.inMemory(knownCapacity)
            : KnownFingerprints.inFile(knownFingerprintsFile(b.dataDir, b.service), knownCapacity);
    this.exceptions =
        Counter.builder()
            .name("app_exceptions_total")
            .help("Unhandled exceptions by class (capped; beyond the cap: type=\"other\")")
            .labelNames("type")
            .build();
    if (b.registry != null) {
      b.registry.register(exceptions);
    }
  }

  /**
   * A builder with vigil's defaults: service {@code service}, release {@code dev}, application
   * frames {@code dev.vigil.}, {@value #DEFAULT_MAX_GROUPS} groups, {@value #DEFAULT_MAX_TYPES}
   * types, no metric registry, nothing sent to Sentry.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder for a service as vigil runs it: its name, its release, the known fingerprints kept
   * under {@code $VIGIL_DATA_DIR} when that is set ({@link Builder#dataDir}; in memory otherwise),
   * and Sentry forwarding when {@code SENTRY_DSN} is set ({@link
   * SentryForwarding#fromEnvironment}).
   *
   * @param service the service name, e.g. {@code catalog}
   * @param release the service version, e.g. from the jar manifest; {@code null} for {@code dev}
   * @param env the environment, usually {@code System.getenv()}
   * @return a builder; {@code TelemetryPlugin.errorTracking(...)} takes it
   * @throws IllegalArgumentException when {@code SENTRY_DSN} is set but malformed
   */
  public static Builder fromEnvironment(String service, String release, Map<String, String> env) {
    Builder builder = builder().service(service).release(release);
    String data = env.get(StateDirectory.VARIABLE);
    if (data != null && !data.isBlank()) {
      builder.dataDir(Path.of(data));
    }
    return builder.sentry(
        SentryForwarding.fromEnvironment(env, service, builder.release).orElse(null));
  }

  /**
   * The file in which a tracker built with {@link Builder#dataDir} keeps its known fingerprints.
   *
   * @param dataDir the service's data directory, e.g. {@code .vigil}
   * @param service the service name, e.g. {@code catalog}
   * @return {@code <dataDir>/errors/<service>-known-fingerprints.tsv}
   */
  public static Path knownFingerprintsFile(Path dataDir, String service) {
    return dataDir.resolve("errors").resolve(service + "-known-fingerprints.tsv");
  }

  /**
   * Records one unhandled exception of a request. The caller logs it (the problem handler writes
   * the ERROR line with the stack trace).
   *
   * @param failure the exception
   * @param traceId the trace id of the failed request (32 hex digits), or {@code null}
   * @param requestId the request id of the failed request, or {@code null}
   * @return the occurrence as recorded, with its fingerprint
   */
  public ErrorOccurrence record(Throwable failure, String traceId, String requestId) {
    return record(failure, traceId, requestId, null);
  }

  /**
   * Records and logs a failure of a background worker (a scheduled pass, a queue consumer, a retry
   * loop): grouped by fingerprint as a request's failure is, counted in {@code
   * app_exceptions_total{type}}, the worker named in its group, and logged here at ERROR with its
   * stack trace and the keys {@code worker} and {@code fingerprint}; the caller does not log it
   * again. The trace id and request id are those of the calling thread's logging context (the MDC),
   * when it has them, e.g. inside a queue consumer's span; a scheduled pass has none.
   *
   * @param worker the worker's name, e.g. {@code order-reconciler} (its thread's name is a good
   *     one)
   * @param what what failed and what happens next, for the log line, e.g. {@code "reconciliation
   *     pass failed, next in 30000 ms"}
   * @param failure the exception
   * @return the occurrence as recorded, with its fingerprint
   */
  public ErrorOccurrence recordWorkerFailure(String worker, String what, Throwable failure) {
    ErrorOccurrence occurrence = recordUnlogged(worker, failure);
    logInFull(worker, what, occurrence);
    return occurrence;
  }

  /**
   * Records a worker's failure as {@link #recordWorkerFailure} does, without logging it: for {@link
   * RetriedFailures}, which decides how.
   */
  ErrorOccurrence recordUnlogged(String worker, Throwable failure) {
    Objects.requireNonNull(worker, "worker");
    String traceId = MDC.get(LogCorrelation.TRACE_ID);
    String requestId = MDC.get(RequestIds.MDC_KEY);
    return record(failure, traceId, requestId, worker);
  }

  /** The ERROR line of a worker's failure, with its stack trace. */
  static void logInFull(String worker, String what, ErrorOccurrence occurrence) {
    Throwable failure = occurrence.failure();
    LOG.atError()
        .addKeyValue("worker", worker)
        .addKeyValue("fingerprint", occurrence.fingerprint().value())
        .setCause(failure)
        .log("{} in worker {}: {}", what, worker, failure.toString());
  }

  /**
   * A handler for the uncaught exceptions of a worker's thread, e.g. {@code
   * Thread.ofVirtual().uncaughtExceptionHandler(errors.uncaughtIn("order-reconciler"))}: whatever
   * ends the thread (an {@link Error} its loop did not catch) is recorded and logged by {@link
   * #recordWorkerFailure} instead of going to standard error unseen.
   *
   * @param worker the worker's name
   * @return the handler
   */
  public Thread.UncaughtExceptionHandler uncaughtIn(String worker) {
    return (thread, failure) ->
        recordWorkerFailure(worker, "the worker's thread " + thread.getName() + " died", failure);
  }

  private ErrorOccurrence record(
      Throwable failure, String traceId, String requestId, String worker) {
    ExceptionFingerprint fingerprint = ExceptionFingerprint.of(failure, applicationPrefixes);
    Instant now = clock.instant();
    String knownSince = known.remember(fingerprint.value(), release);
    boolean first = knownSince == null;
    GroupState group =
        groups.get(
            fingerprint.value(),
            fp -> new GroupState(fingerprint, first ? release : knownSince, now));
    group.add(failure.getMessage(), now, traceId, requestId, worker);
    exceptions.labelValues(typeLabel(fingerprint.type())).inc();
    if (first) {
      LOG.warn(
          "new error group {} in {} release {}: {} at {} ({}trace_id={}, request_id={})",
          fingerprint.value(),
          service,
          release,
          fingerprint.type(),
          fingerprint.frames().isEmpty() ? "?" : fingerprint.frames().get(0),
          worker == null ? "" : "worker=" + worker + ", ",
          traceId,
          requestId);
    }
    ErrorOccurrence occurrence =
        new ErrorOccurrence(failure, fingerprint, traceId, requestId, worker, release, first);
    if (sentry != null) {
      sentry.send(occurrence);
    }
    return occurrence;
  }

  /**
   * The groups held now, the most recently seen first.
   *
   * @return snapshots of at most {@code maxGroups} groups
   */
  public List<ErrorGroup> groups() {
    List<ErrorGroup> snapshot = new ArrayList<>();
    for (GroupState state : groups.asMap().values()) {
      snapshot.add(state.snapshot());
    }
    snapshot.sort(Comparator.comparing(ErrorGroup::lastSeen).reversed());
    return snapshot;
  }

  /** The service name, e.g. {@code catalog}. */
  public String service() {
    return service;
  }

  /** The release (service version) occurrences are attributed to, e.g. {@code 0.1.0}. */
  public String release() {
    return release;
  }

  /**
   * Saves the known fingerprints (with a data directory), then flushes and closes the Sentry
   * forwarding, if any (at most its shutdown timeout).
   */
  @Override
  public void close() {
    known.save();
    if (sentry != null) {
      sentry.close();
    }
  }

  private String typeLabel(String type) {
    String label = typeLabels.get(type);
    if (label != null) {
      return label;
    }
    synchronized (typeLabels) {
      return typeLabels.computeIfAbsent(type, t -> typeLabels.size() < maxTypes ? t : OTHER_TYPE);
    }
  }

  /** The mutable state of one group; errors are rare, so a lock per group is enough. */
  private static final class GroupState {
    private final ExceptionFingerprint fingerprint;
    private final String release;
    private final Instant firstSeen;
    private final ArrayDeque<String> traceIds = new ArrayDeque<>(LATEST_IDS);
    private final ArrayDeque<String> requestIds = new ArrayDeque<>(LATEST_IDS);
    private final ArrayDeque<String> workers = new ArrayDeque<>(LATEST_IDS);
    private long count;
    private Instant lastSeen;
    private String message;

    GroupState(ExceptionFingerprint fingerprint, String release, Instant firstSeen) {
      this.fingerprint = fingerprint;
      this.release = release;
      this.firstSeen = firstSeen;
      this.lastSeen = firstSeen;
    }

    synchronized void add(
        String message, Instant at, String traceId, String requestId, String worker) {
      count++;
      if (at.isAfter(lastSeen)) {
        lastSeen = at;
      }
      this.message =
          message == null || message.length() <= MAX_MESSAGE_CHARS
              ? message
              : message.substring(0, MAX_MESSAGE_CHARS) + "…";
      push(traceIds, traceId);
      push(requestIds, requestId);
      push(workers, worker);
    }

    synchronized ErrorGroup snapshot() {
      return new ErrorGroup(
          fingerprint.value(),
          fingerprint.type(),
          message,
          fingerprint.frames(),
          release,
          count,
          firstSeen,
          lastSeen,
          List.copyOf(traceIds),
          List.copyOf(requestIds),
          List.copyOf(workers));
    }

    private static void push(ArrayDeque<String> latest, String id) {
      if (id == null || id.isEmpty()) {
        return;
      }
      latest.remove(id);
      latest.addFirst(id);
      while (latest.size() > LATEST_IDS) {
        latest.removeLast();
      }
    }
  }

  /** Options of an {@link ErrorTracker}; every one has a default. */
  public static final class Builder {
    private String service = "service";
    private String release = "dev";
    private List<String> applicationPrefixes = DEFAULT_APPLICATION_PREFIXES;
    private int maxGroups = DEFAULT_MAX_GROUPS;
    private int maxTypes = DEFAULT_MAX_TYPES;
    private PrometheusRegistry registry;
    private SentryForwarding sentry;
    private Path dataDir;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * @param service the service name, e.g. {@code catalog}
     * @return this builder
     */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * @param release the service version, e.g. {@code 0.1.0}; {@code null} keeps {@code dev}
     * @return this builder
     */
    public Builder release(String release) {
      if (release != null && !release.isBlank()) {
        this.release = release;
      }
      return this;
    }

    /**
     * @param prefixes class-name prefixes of the application's own frames, e.g. {@code
     *     ["dev.vigil.", "com.example.shop."]}
     * @return this builder
     * @throws IllegalArgumentException when the list is empty
     */
    public Builder applicationPrefixes(List<String> prefixes) {
      if (prefixes.isEmpty()) {
        throw new IllegalArgumentException(
            "application prefixes are empty: give at least one package prefix, e.g. dev.vigil.");
      }
      this.applicationPrefixes = List.copyOf(prefixes);
      return this;
    }

    /**
     * @param maxGroups most groups held, at least 1
     * @return this builder
     */
    public Builder maxGroups(int maxGroups) {
      if (maxGroups < 1) {
        throw new IllegalArgumentException("maxGroups is " + maxGroups + ": give at least 1");
      }
      this.maxGroups = maxGroups;
      return this;
    }

    /**
     * @param maxTypes most distinct {@code type} values of {@code app_exceptions_total} besides
     *     {@value #OTHER_TYPE}, at least 0
     * @return this builder
     */
    public Builder maxTypes(int maxTypes) {
      if (maxTypes < 0) {
        throw new IllegalArgumentException("maxTypes is " + maxTypes + ": give 0 or more");
      }
      this.maxTypes = maxTypes;
      return this;
    }

    /**
     * @param registry where {@code app_exceptions_total} is registered, or {@code null} for none
     * @return this builder
     */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = registry;
      return this;
    }

    /**
     * @param sentry where occurrences are also sent, or {@code null} (the default): nothing leaves
     *     the process
     * @return this builder
     */
    public Builder sentry(SentryForwarding sentry) {
      this.sentry = sentry;
      return this;
    }

    /**
     * Keeps the known fingerprints in {@link ErrorTracker#knownFingerprintsFile(Path, String)}
     * under this directory, so that a restart does not announce known groups as new. Without it
     * they are held in memory only.
     *
     * @param dataDir the service's data (state) directory, e.g. {@code .vigil}; created when
     *     missing
     * @return this builder
     */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /**
     * @param clock the clock of first and last seen (tests)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the tracker, registering its counter in the registry if one was given.
     *
     * @return the tracker
     */
    public ErrorTracker build() {
      return new ErrorTracker(this);
    }
  }
}
