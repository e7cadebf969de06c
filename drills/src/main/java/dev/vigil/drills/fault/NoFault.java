package dev.vigil.drills.fault;

/** For drills that only observe, like the watchdog: the expected alert fires without any fault. */
public final class NoFault implements Fault {

  @Override
  public void inject() {}

  @Override
  public void recover() {}

  @Override
  public void close() {}
}
