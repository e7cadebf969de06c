package dev.vigil.telemetry.health;

/**
 * The outcome of one check.
 *
 * @param name the check's name, e.g. {@code database}
 * @param status its status
 * @param durationSeconds how long the check took, in seconds
 * @param error why it is not healthy, or {@code null}
 */
public record CheckResult(String name, HealthStatus status, double durationSeconds, String error) {}
