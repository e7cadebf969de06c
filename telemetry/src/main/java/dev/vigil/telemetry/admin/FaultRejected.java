package dev.vigil.telemetry.admin;

/**
 * A fault request that cannot be applied: unknown fault, target or parameter, or a value out of
 * range. The admin API answers it with 400 problem+json carrying {@link #field()}.
 */
public final class FaultRejected extends IllegalArgumentException {

  private final String field;

  /**
   * @param field the request member that is wrong, e.g. {@code params.ratio} or {@code target}
   * @param message what was wrong and how to fix it
   */
  public FaultRejected(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The request member that is wrong, e.g. {@code params.ratio}. */
  public String field() {
    return field;
  }
}
