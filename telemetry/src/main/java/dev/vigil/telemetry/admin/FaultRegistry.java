package dev.vigil.telemetry.admin;

import dev.vigil.telemetry.errors.ErrorTracker;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults a service has on right now, changed through the admin API and read by the code where
 * each fault acts (a request filter, the connection pool, the cache...).
 *
 * <p>Reading is the hot path: {@link #find(String, String)} takes no lock and allocates nothing
 * while no fault of that name is on. A fault set with a time to live heals by itself at its {@code
 * expiresAt} (it stops acting at once, is removed and logged by a timer thread). Every change is
 * logged as one JSON line with {@code who} (the admin token's name) and what changed. A failure of
 * the timer thread's work is logged at ERROR and, with an {@link ErrorTracker}, recorded as a
 * failure of the worker {@value #EXPIRY_WORKER}, never dropped by the executor unseen.
 *
 * <p>Exposes {@code vigil_fault_active{fault,target}}: 1 while the fault is on, 0 once it was
 * cleared or expired. A series appears the first time its (fault, target) is set; both labels come
 * from the closed sets of the service's {@link FaultSpec}s, so the series count is bounded.
 */
public final class FaultRegistry implements AutoCloseable {

  /** The metric that tells a drill (or a forgotten fault) from a real failure. */
  public static final String METRIC = "vigil_fault_active";

  /** The name of the timer thread and of its failures' worker in the error tracker. */
  public static final String EXPIRY_WORKER = "fault-expiry";

  private static final Logger LOG = LoggerFactory.getLogger(FaultRegistry.class);

  private final Map<String, FaultSpec> specs = new LinkedHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ActiveFault>> active =
      new ConcurrentHashMap<>();
  private final Set<Map.Entry<String, String>> seen = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService expiry;
  private final Clock clock;
  private final ErrorTracker errors;

  /**
   * A registry of a service's faults, none on, with {@code vigil_fault_active} registered; a
   * failure of the expiry timer is logged only.
   *
   * @param metrics where {@code vigil_fault_active} is registered (the service's {@code /metrics}
   *     registry)
   * @param specs every fault the service knows, with distinct names
   * @throws IllegalArgumentException when two specs share a name
   */
  public FaultRegistry(PrometheusRegistry metrics, Collection<FaultSpec> specs) {
    this(metrics, specs, null, Clock.systemUTC());
  }

  /**
   * A registry of a service's faults, none on, with {@code vigil_fault_active} registered; a
   * failure of the expiry timer is recorded in {@code errors} (worker {@value #EXPIRY_WORKER}),
   * which logs it.
   *
   * @param metrics where {@code vigil_fault_active} is registered
   * @param specs every fault the service knows, with distinct names
   * @param errors the service's error tracker, or {@code null} to only log such failures
   * @throws IllegalArgumentException when two specs share a name
   */
  public FaultRegistry(
      PrometheusRegistry metrics, Collection<FaultSpec> specs, ErrorTracker errors) {
    this(metrics, specs, errors, Clock.systemUTC());
  }

  /** As above with the clock of set, expiry and the gauge (tests). */
  FaultRegistry(
      PrometheusRegistry metrics, Collection<FaultSpec> specs, ErrorTracker errors, Clock clock) {
    this.clock = clock;
    this.errors = errors;
    for (FaultSpec spec : specs) {
      if (this.specs.putIfAbsent(spec.name(), spec) != null) {
        throw new IllegalArgumentException("two faults are named " + spec.name());
      }
      active.put(spec.name(), new ConcurrentHashMap<>());
    }
    this.expiry =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, EXPIRY_WORKER);
              t.setDaemon(true);
              return t;
            });
    GaugeWithCallback.builder()
        .name(METRIC)
        .help("1 while an injected fault is active (admin API), 0 after it was cleared or expired")
        .labelNames("fault", "target")
        .callback(
            cb -> {
              Instant now = clock.instant();
              for (Map.Entry<String, String> key : seen) {
                ActiveFault f = active.get(key.getKey()).get(key.getValue());
                cb.call(f != null && !f.expired(now) ? 1 : 0, key.getKey(), key.getValue());
              }
            })
        .register(metrics);
  }

  /**
   * The faults this service knows.
   *
   * @return the specs in declaration order
   */
  public Collection<FaultSpec> specs() {
    return specs.values();
  }

  /**
   * Turns a fault on (replacing the same fault on the same target) and logs it.
   *
   * @param fault the fault's name, e.g. {@code http_errors}
   * @param target what it acts on, or {@code null} for {@link FaultSpec#ANY_TARGET}
   * @param params its parameters, validated against its spec
   * @param ttl how long until it heals by itself, or {@code null} for never
   * @param who the admin token's name
   * @return the active fault
   * @throws FaultRejected naming the field when the fault, target, a parameter or the ttl is not
   *     accepted
   */
  public ActiveFault set(
      String fault, String target, Map<String, ? extends Number> params, Duration ttl, String who) {
    FaultSpec spec = spec(fault);
    String t = spec.target(target);
    Map<String, Number> checked = spec.validate(params);
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new FaultRejected("ttl", "ttl must be positive, e.g. 10m; leave it out for no expiry");
    }
    Instant now = clock.instant();
    ActiveFault entry =
        new ActiveFault(fault, t, checked, who, now, ttl == null ? null : now.plus(ttl));
    active.get(fault).put(t, entry);
    seen.add(Map.entry(fault, t));
    LOG.atWarn()
        .addKeyValue("event", "fault_set")
        .addKeyValue("fault", fault)
        .addKeyValue("target", t)
        .addKeyValue("params", entry.params())
        .addKeyValue("who", who)
        .addKeyValue("expires_at", entry.expiresAt() == null ? null : entry.expiresAt().toString())
        .log(
            "fault {} set on {} by {} (params {}, expires {})",
            fault,
            t,
            who,
            new java.util.TreeMap<>(entry.params()),
            entry.expiresAt() == null ? "never" : entry.expiresAt());
    if (ttl != null) {
      expiry.schedule(() -> expireReportingFailure(entry), ttl.toMillis(), TimeUnit.MILLISECONDS);
    }
    return entry;
  }

  /**
   * Turns a fault off on one target or on all its targets, and logs each one cleared.
   *
   * @param fault the fault's name
   * @param target the target to clear, or {@code null} for every target of this fault
   * @param who the admin token's name
   * @return how many were on and are now off
   * @throws FaultRejected when the fault is unknown
   */
  public int clear(String fault, String target, String who) {
    Map<String, ActiveFault> byTarget = active.get(spec(fault).name());
    int cleared = 0;
    for (ActiveFault f : List.copyOf(byTarget.values())) {
      if ((target == null || f.target().equals(target)) && byTarget.remove(f.target(), f)) {
        logCleared(f, who, "fault_cleared");
        cleared++;
      }
    }
    return cleared;
  }

  /**
   * Turns every fault off, and logs each one cleared.
   *
   * @param who the admin token's name
   * @return how many were on
   */
  public int clearAll(String who) {
    int cleared = 0;
    for (String fault : specs.keySet()) {
      cleared += clear(fault, null, who);
    }
    return cleared;
  }

  /**
   * The faults on now.
   *
   * @return the unexpired faults, ordered by fault then target
   */
  public List<ActiveFault> active() {
    Instant now = clock.instant();
    List<ActiveFault> out = new ArrayList<>();
    for (Map<String, ActiveFault> byTarget : active.values()) {
      for (ActiveFault f : byTarget.values()) {
        if (!f.expired(now)) {
          out.add(f);
        }
      }
    }
    out.sort(Comparator.comparing(ActiveFault::fault).thenComparing(ActiveFault::target));
    return out;
  }

  /**
   * The fault acting on a target: the one set on that target, else the one set on {@link
   * FaultSpec#ANY_TARGET}. The hot path: no lock, no allocation while none of this name is on.
   *
   * @param fault the fault's name, one of {@link #specs()}
   * @param target e.g. the route template of the request
   * @return the fault, or {@code null} when none acts on it
   */
  public ActiveFault find(String fault, String target) {
    Map<String, ActiveFault> byTarget = active.get(fault);
    if (byTarget == null || byTarget.isEmpty()) {
      return null;
    }
    ActiveFault f = byTarget.get(target);
    if (f == null) {
      f = byTarget.get(FaultSpec.ANY_TARGET);
    }
    return f == null || f.expired(clock.instant()) ? null : f;
  }

  /**
   * Whether a fault that takes no target ({@link FaultSpec#ANY_TARGET} only) is on.
   *
   * @param fault e.g. {@code db_unavailable}
   * @return true while it is on
   */
  public boolean on(String fault) {
    return find(fault, FaultSpec.ANY_TARGET) != null;
  }

  /** Stops the expiry timer. */
  @Override
  public void close() {
    expiry.shutdownNow();
  }

  private FaultSpec spec(String fault) {
    FaultSpec spec = specs.get(fault);
    if (spec == null) {
      throw new FaultRejected(
          "fault",
          "unknown fault '" + fault + "'; this service knows " + String.join(", ", specs.keySet()));
    }
    return spec;
  }

  /**
   * The expiry timer's task. A scheduled executor keeps a task's exception in its never-read
   * future, so it is caught here and made visible: recorded (and logged) by the error tracker, or
   * logged at ERROR without one.
   */
  private void expireReportingFailure(ActiveFault entry) {
    try {
      expire(entry);
    } catch (RuntimeException | Error e) {
      String what = "expiry of fault " + entry.fault() + " on " + entry.target() + " failed";
      if (errors != null) {
        errors.recordWorkerFailure(EXPIRY_WORKER, what, e);
      } else {
        LOG.atError()
            .addKeyValue("worker", EXPIRY_WORKER)
            .addKeyValue("fault", entry.fault())
            .addKeyValue("target", entry.target())
            .setCause(e)
            .log("{} in worker {}: {}", what, EXPIRY_WORKER, e.toString());
      }
    }
  }

  private void expire(ActiveFault entry) {
    if (active.get(entry.fault()).remove(entry.target(), entry)) {
      logCleared(entry, "expiry", "fault_expired");
    }
  }

  private void logCleared(ActiveFault f, String who, String event) {
    LOG.atInfo()
        .addKeyValue("event", event)
        .addKeyValue("at", clock.instant().toString())
        .addKeyValue("fault", f.fault())
        .addKeyValue("target", f.target())
        .addKeyValue("who", who)
        .addKeyValue("set_by", f.setBy())
        .addKeyValue("since", f.since().toString())
        .log(
            "fault {} on {} {} by {} (set by {} at {})",
            f.fault(),
            f.target(),
            event.equals("fault_expired") ? "expired" : "cleared",
            who,
            f.setBy(),
            f.since());
  }
}
