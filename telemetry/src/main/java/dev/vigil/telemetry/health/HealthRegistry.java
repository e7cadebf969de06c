package dev.vigil.telemetry.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The named dependency checks of a service and its shutting-down flag.
 *
 * <p>Liveness ({@code /healthz}) never consults it. Readiness ({@code /readyz}) and {@code
 * /health/detailed} run every check concurrently, each on its own virtual thread, with one time
 * limit for all of them, so a hanging dependency makes a probe answer late by at most that limit.
 */
public final class HealthRegistry {

  private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
  private final Duration timeout;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private volatile boolean shuttingDown;

  /**
   * @param timeout how long all checks together may take before the unfinished ones count as
   *     unhealthy, e.g. 2 seconds
   */
  public HealthRegistry(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Adds a check.
   *
   * @param name a short stable name used as JSON key, e.g. {@code database}
   * @param check the check
   * @throws IllegalArgumentException when the name is taken
   */
  public synchronized void register(String name, HealthCheck check) {
    if (checks.putIfAbsent(name, check) != null) {
      throw new IllegalArgumentException("health check '" + name + "' is already registered");
    }
  }

  /** Marks the service as shutting down: from now on it is not ready. Cannot be undone. */
  public void markShuttingDown() {
    shuttingDown = true;
  }

  /** Whether {@link #markShuttingDown()} was called. */
  public boolean shuttingDown() {
    return shuttingDown;
  }

  /**
   * Runs every check once.
   *
   * @return the report; never throws, failures are part of the report
   */
  public HealthReport check() {
    Map<String, HealthCheck> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(checks);
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    List<String> names = new ArrayList<>(snapshot.keySet());
    List<Future<CheckResult>> futures = new ArrayList<>();
    for (Map.Entry<String, HealthCheck> entry : snapshot.entrySet()) {
      futures.add(executor.submit(() -> run(entry.getKey(), entry.getValue())));
    }
    List<CheckResult> results = new ArrayList<>();
    HealthStatus overall = HealthStatus.HEALTHY;
    for (int i = 0; i < futures.size(); i++) {
      CheckResult result = await(names.get(i), futures.get(i), deadline, start);
      results.add(result);
      overall = overall.worst(result.status());
    }
    return new HealthReport(overall, shuttingDown, List.copyOf(results));
  }

  private static CheckResult run(String name, HealthCheck check) {
    long start = System.nanoTime();
    try {
      HealthStatus status = check.check();
      return new CheckResult(
          name,
          status == null ? HealthStatus.UNHEALTHY : status,
          seconds(start),
          status == null ? "check returned no status" : null);
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new CheckResult(name, HealthStatus.UNHEALTHY, seconds(start), message);
    }
  }

  private CheckResult await(String name, Future<CheckResult> future, long deadline, long start) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new CheckResult(
          name,
          HealthStatus.UNHEALTHY,
          seconds(start),
          "no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new CheckResult(name, HealthStatus.UNHEALTHY, seconds(start), "interrupted");
    } catch (ExecutionException e) {
      return new CheckResult(
          name, HealthStatus.UNHEALTHY, seconds(start), String.valueOf(e.getCause()));
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
