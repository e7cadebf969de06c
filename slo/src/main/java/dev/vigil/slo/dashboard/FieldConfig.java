package dev.vigil.slo.dashboard;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The field defaults of a panel: unit, range, thresholds and data links (Grafana's {@code
 * fieldConfig.defaults}; vigil uses no per-field overrides).
 *
 * @param defaults settings applied to every field of the panel
 * @param overrides always empty; Grafana expects the key
 */
public record FieldConfig(Defaults defaults, List<Object> overrides) {

  /**
   * @param unit a Grafana unit id: {@code percentunit} (ratio 0..1 shown as percent), {@code s}
   *     (seconds), {@code bytes}, {@code reqps}, {@code short}, {@code none}
   * @param min the axis/gauge minimum, null for automatic
   * @param max the axis/gauge maximum, null for automatic
   * @param decimals digits after the decimal point, null for automatic
   * @param noValue the text shown when the query returns nothing, null for Grafana's "No data"
   * @param color the colour scheme, e.g. {@code {"mode": "thresholds"}}
   * @param thresholds the threshold scale, null for none
   * @param custom plugin-specific field settings, e.g. the time series' {@code thresholdsStyle}
   * @param links data links on every data point
   */
  public record Defaults(
      String unit,
      BigDecimal min,
      BigDecimal max,
      Integer decimals,
      String noValue,
      Map<String, Object> color,
      Thresholds thresholds,
      Map<String, Object> custom,
      List<Link> links) {}

  /**
   * A threshold scale with absolute values (in the panel's unit).
   *
   * @param mode always {@code absolute}
   * @param steps the base step (no value) first, then ascending values
   */
  public record Thresholds(String mode, List<Threshold> steps) {

    /**
     * @param steps base step first, then ascending values
     * @return the absolute scale
     * @throws IllegalArgumentException when the first step has a value
     */
    public static Thresholds absolute(List<Threshold> steps) {
      if (steps.isEmpty() || steps.get(0).value() != null) {
        throw new IllegalArgumentException(
            "a threshold scale starts with a base step without value, got " + steps);
      }
      return new Thresholds("absolute", List.copyOf(steps));
    }
  }

  /**
   * @param unit a Grafana unit id
   * @return defaults with that unit and nothing else; refine with the {@code with*} methods
   */
  public static FieldConfig unit(String unit) {
    return new FieldConfig(
        new Defaults(unit, null, null, null, null, null, null, null, null), List.of());
  }

  /**
   * @param min lower bound, in the unit
   * @param max upper bound, in the unit
   * @return a copy with that range
   */
  public FieldConfig withRange(BigDecimal min, BigDecimal max) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            min,
            max,
            d.decimals(),
            d.noValue(),
            d.color(),
            d.thresholds(),
            d.custom(),
            d.links()));
  }

  /**
   * @param decimals digits after the point @return a copy with them
   */
  public FieldConfig withDecimals(int decimals) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            d.min(),
            d.max(),
            decimals,
            d.noValue(),
            d.color(),
            d.thresholds(),
            d.custom(),
            d.links()));
  }

  /**
   * @param text shown when the query returns nothing @return a copy with it
   */
  public FieldConfig withNoValue(String text) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            d.min(),
            d.max(),
            d.decimals(),
            text,
            d.color(),
            d.thresholds(),
            d.custom(),
            d.links()));
  }

  /**
   * Colours values by the threshold scale (stat, gauge).
   *
   * @param steps base step first, then ascending values
   * @return a copy with the scale
   */
  public FieldConfig withThresholds(List<Threshold> steps) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            d.min(),
            d.max(),
            d.decimals(),
            d.noValue(),
            Map.of("mode", "thresholds"),
            Thresholds.absolute(steps),
            d.custom(),
            d.links()));
  }

  /**
   * Draws the threshold scale on a time series, leaving series in palette colours.
   *
   * @param steps base step first, then ascending values
   * @param style Grafana's thresholds style: {@code dashed} (a line per step) or {@code line+area}
   *     (lines and the bands between them shaded in the steps' colours)
   * @return a copy with the scale drawn
   */
  public FieldConfig withThresholdLines(List<Threshold> steps, String style) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            d.min(),
            d.max(),
            d.decimals(),
            d.noValue(),
            Map.of("mode", "palette-classic"),
            Thresholds.absolute(steps),
            Map.of("thresholdsStyle", Map.of("mode", style)),
            d.links()));
  }

  /**
   * @param links data links on every point @return a copy with them
   */
  public FieldConfig withLinks(List<Link> links) {
    Defaults d = defaults;
    return of(
        new Defaults(
            d.unit(),
            d.min(),
            d.max(),
            d.decimals(),
            d.noValue(),
            d.color(),
            d.thresholds(),
            d.custom(),
            links));
  }

  private static FieldConfig of(Defaults d) {
    return new FieldConfig(d, List.of());
  }
}
