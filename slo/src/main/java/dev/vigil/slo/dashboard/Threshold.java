package dev.vigil.slo.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;

/**
 * One step of a Grafana threshold scale: from {@code value} upwards the colour is {@code color}.
 * The first step of a scale is the base and has no value (Grafana writes {@code null}: minus
 * infinity).
 *
 * @param color a Grafana colour name, e.g. {@code green}, {@code orange}, {@code red}
 * @param value the lower bound in the panel's unit, null for the base step
 */
public record Threshold(String color, @JsonInclude(JsonInclude.Include.ALWAYS) BigDecimal value) {

  /**
   * @param color the colour below every other step @return the base step
   */
  public static Threshold base(String color) {
    return new Threshold(color, null);
  }

  /**
   * @param color colour from this value upwards
   * @param value lower bound, in the panel's unit
   * @return the step
   */
  public static Threshold from(String color, BigDecimal value) {
    return new Threshold(color, value);
  }
}
