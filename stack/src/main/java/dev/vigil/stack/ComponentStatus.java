package dev.vigil.stack;

import java.net.URI;

/**
 * Whether one component of the local stack runs and is ready.
 *
 * @param component the component
 * @param id the replica's id, e.g. {@code catalog-2} ({@link Replica#id()})
 * @param pid its process id from the pid file, or 0 when there is none
 * @param running whether that process is alive
 * @param ready whether its readiness URL answers 200
 * @param readiness the readiness URL probed
 */
public record ComponentStatus(
    Component component, String id, long pid, boolean running, boolean ready, URI readiness) {}
