package dev.vigil.drills.fault;

import dev.vigil.drills.drill.Drill;

/** A fault set through a service's {@link AdminApi} on inject and cleared on recovery. */
public final class AdminApiFault implements Fault {

  private final AdminApi admin;
  private final Drill.AdminFault step;
  private boolean set;

  /**
   * A fault of a drill's {@code admin} step.
   *
   * @param admin the service's admin API
   * @param step the fault, its target, params and ttl
   */
  public AdminApiFault(AdminApi admin, Drill.AdminFault step) {
    this.admin = admin;
    this.step = step;
  }

  @Override
  public void inject() {
    admin.set(step.fault(), step.target(), step.params(), step.ttl());
    set = true;
  }

  @Override
  public void recover() {
    if (set) {
      admin.clear(step.fault(), step.target());
      set = false;
    }
  }

  @Override
  public void close() {
    try {
      recover();
    } catch (IllegalStateException e) {
      // the ttl clears it; the report already says what failed
    }
  }
}
