package dev.vigil.telemetry.http;

/**
 * Thrown by a handler to answer with a problem details response instead of its normal result.
 *
 * <p>The telemetry plugin maps it to {@code application/problem+json}; client mistakes are 4xx.
 */
public final class ProblemException extends RuntimeException {

  private final transient Problem problem;

  /**
   * @param problem the response to send
   */
  public ProblemException(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  /** The response to send. */
  public Problem problem() {
    return problem;
  }

  /**
   * A 404: the named resource does not exist.
   *
   * @param detail e.g. {@code "product 1001 does not exist"}
   * @return the exception to throw
   */
  public static ProblemException notFound(String detail) {
    return new ProblemException(Problem.of(404, detail));
  }

  /**
   * A 409: the request conflicts with the current state (e.g. stock too short).
   *
   * @param detail what conflicts and what the caller can do
   * @return the exception to throw
   */
  public static ProblemException conflict(String detail) {
    return new ProblemException(Problem.of(409, detail));
  }

  /**
   * A 422 naming the invalid field.
   *
   * @param field the JSON field or query parameter, e.g. {@code items[0].quantity}
   * @param detail what is wrong and the accepted values, e.g. {@code "must be between 1 and 1000"}
   * @return the exception to throw; its problem carries a {@code field} member
   */
  public static ProblemException invalidField(String field, String detail) {
    return new ProblemException(Problem.of(422, field + " " + detail).with("field", field));
  }
}
