package dev.vigil.slo.dashboard;

import java.util.List;
import java.util.Map;

/**
 * A dashboard variable filled from Prometheus label values ({@code $service}, {@code $instance}):
 * Grafana's {@code templating.list} entry of type {@code query}, refreshed when the dashboard
 * loads.
 *
 * @param name the name panels use, e.g. {@code service} for {@code $service}
 * @param label the text in the variable bar
 * @param type always {@code query}
 * @param datasource where the values come from
 * @param query e.g. {@code label_values(http_requests_total, service)}
 * @param definition the same query, as Grafana shows it in the variable list
 * @param current the value selected when the dashboard opens: {@code text} and {@code value}
 * @param multi whether several values may be selected
 * @param includeAll whether an "All" entry exists
 * @param allValue the regex "All" stands for, null unless {@code includeAll}
 * @param refresh 1: reload values when the dashboard loads
 * @param sort 1: alphabetical, ascending
 * @param options always empty: values are queried, not stored
 */
public record Variable(
    String name,
    String label,
    String type,
    DatasourceRef datasource,
    String query,
    String definition,
    Map<String, Object> current,
    boolean multi,
    boolean includeAll,
    String allValue,
    int refresh,
    int sort,
    List<Object> options) {

  /**
   * One value at a time, preselected.
   *
   * @param name variable name
   * @param label display label
   * @param query a {@code label_values(...)} query
   * @param selected the value selected when the dashboard opens
   * @return the variable
   */
  public static Variable single(String name, String label, String query, String selected) {
    return new Variable(
        name,
        label,
        "query",
        DatasourceRef.PROMETHEUS,
        query,
        query,
        Map.of("selected", true, "text", selected, "value", selected),
        false,
        false,
        null,
        1,
        1,
        List.of());
  }

  /**
   * Any number of values, "All" (regex {@code .*}) preselected; use it in a selector as {@code
   * label=~"$name"}.
   *
   * @param name variable name
   * @param label display label
   * @param query a {@code label_values(...)} query
   * @return the variable
   */
  public static Variable all(String name, String label, String query) {
    return new Variable(
        name,
        label,
        "query",
        DatasourceRef.PROMETHEUS,
        query,
        query,
        Map.of("selected", true, "text", List.of("All"), "value", List.of("$__all")),
        true,
        true,
        ".*",
        1,
        1,
        List.of());
  }
}
