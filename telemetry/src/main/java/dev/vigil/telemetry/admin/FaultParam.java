package dev.vigil.telemetry.admin;

/**
 * One numeric parameter of a fault, with its accepted range: e.g. {@code ratio} 0..1 of {@code
 * http_errors}, {@code status} 500..599.
 *
 * @param name the JSON member under {@code params}, e.g. {@code ratio}
 * @param min smallest accepted value
 * @param max largest accepted value
 * @param whole whether only whole numbers are accepted (milliseconds, status codes)
 * @param defaultValue the value when the caller leaves it out, or {@code null} when it has none
 * @param required whether the caller must send it (a parameter with a default never is)
 * @param meaning what it means with its unit, for error messages, e.g. {@code "ratio of requests
 *     answered with an error"}
 */
public record FaultParam(
    String name,
    double min,
    double max,
    boolean whole,
    Double defaultValue,
    boolean required,
    String meaning) {

  /**
   * A parameter the caller must send.
   *
   * @param name JSON member name
   * @param min smallest accepted value
   * @param max largest accepted value
   * @param whole whether only whole numbers are accepted
   * @param meaning what it means, with its unit
   * @return the parameter
   */
  public static FaultParam required(
      String name, double min, double max, boolean whole, String meaning) {
    return new FaultParam(name, min, max, whole, null, true, meaning);
  }

  /**
   * A parameter with a default.
   *
   * @param name JSON member name
   * @param min smallest accepted value
   * @param max largest accepted value
   * @param whole whether only whole numbers are accepted
   * @param defaultValue used when the caller leaves it out
   * @param meaning what it means, with its unit
   * @return the parameter
   */
  public static FaultParam withDefault(
      String name, double min, double max, boolean whole, double defaultValue, String meaning) {
    return new FaultParam(name, min, max, whole, defaultValue, false, meaning);
  }

  /**
   * A parameter the caller may leave out, with no default (a rule of the fault says which
   * combinations are accepted).
   *
   * @param name JSON member name
   * @param min smallest accepted value
   * @param max largest accepted value
   * @param whole whether only whole numbers are accepted
   * @param meaning what it means, with its unit
   * @return the parameter
   */
  public static FaultParam optional(
      String name, double min, double max, boolean whole, String meaning) {
    return new FaultParam(name, min, max, whole, null, false, meaning);
  }

  /** The accepted values in words, e.g. {@code "a whole number from 500 to 599"}. */
  String accepted() {
    return (whole ? "a whole number" : "a number")
        + " from "
        + format(min)
        + " to "
        + format(max)
        + (defaultValue == null ? "" : " (default " + format(defaultValue) + ")");
  }

  /**
   * The value as JSON shows it: a long for whole parameters, a double otherwise.
   *
   * @param value an accepted value
   * @return the number to store
   */
  Number normalise(double value) {
    return whole ? (Number) Long.valueOf((long) value) : (Number) Double.valueOf(value);
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
