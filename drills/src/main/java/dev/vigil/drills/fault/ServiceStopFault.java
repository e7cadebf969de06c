package dev.vigil.drills.fault;

import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;

/**
 * Stops a service of the local stack (SIGTERM by pid, like a crash or a failed deploy) and starts
 * it again on recovery with the command line {@code up} recorded; recovery returns once it is
 * ready.
 */
public final class ServiceStopFault implements Fault {

  private final LocalStack stack;
  private final Component service;

  /**
   * A fault that stops one component.
   *
   * @param stack the running local stack
   * @param service the component to stop, e.g. {@link Component#CATALOG}
   */
  public ServiceStopFault(LocalStack stack, Component service) {
    this.stack = stack;
    this.service = service;
  }

  @Override
  public void inject() {
    if (stack.stop(service) == 0) {
      throw new IllegalStateException(
          service.id()
              + " is not running, so it cannot be stopped; start the"
              + " stack with ./vigil up first");
    }
  }

  @Override
  public void recover() {
    stack.start(service);
  }

  @Override
  public void close() {
    stack.start(service);
  }
}
