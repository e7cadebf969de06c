package dev.vigil.slo.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Grafana panel: a row header, a time series, a stat, a gauge or a table. Built by the static
 * factories without position; {@link GridLayout} gives it its id and {@link GridPos}.
 *
 * @param id unique within the dashboard, assigned in layout order (1, 2, 3...), null until placed
 * @param type the panel plugin: {@code row}, {@code timeseries}, {@code stat}, {@code gauge},
 *     {@code table}
 * @param title the header text
 * @param description the tooltip of the header's (i) icon: what the panel shows and where it comes
 *     from
 * @param gridPos position and size, null until placed
 * @param datasource the data source of its queries, null for rows
 * @param targets its queries, refIds A, B, C... in order
 * @param fieldConfig unit, range, thresholds, data links; null for rows
 * @param options plugin-specific display options (legend, reduce function...), null for rows
 * @param links panel links in the header menu
 * @param transformations Grafana transformations applied to the query results (tables)
 * @param collapsed for rows: false, the row is open; null for other panels
 * @param panels for rows: always empty (an open row lists no children, they follow it); null
 *     otherwise
 */
public record Panel(
    Integer id,
    String type,
    String title,
    String description,
    GridPos gridPos,
    DatasourceRef datasource,
    List<Target> targets,
    FieldConfig fieldConfig,
    Map<String, Object> options,
    List<Link> links,
    List<Map<String, Object>> transformations,
    Boolean collapsed,
    List<Panel> panels) {

  private static final Map<String, Object> REDUCE_LAST =
      Map.of("calcs", List.of("lastNotNull"), "fields", "", "values", false);

  /**
   * @param title the row's title
   * @return an open row header
   */
  public static Panel row(String title) {
    return new Panel(
        null, "row", title, null, null, null, null, null, null, null, null, false, List.of());
  }

  /**
   * A time series with a legend listing the last and max values and a tooltip showing every series.
   *
   * @param title header text
   * @param description what it shows, with units and source
   * @param fieldConfig unit, thresholds, links
   * @param targets range queries
   * @return the panel
   */
  public static Panel timeseries(
      String title, String description, FieldConfig fieldConfig, List<Target> targets) {
    Map<String, Object> options =
        Map.of(
            "legend",
                Map.of(
                    "calcs",
                    List.of("lastNotNull", "max"),
                    "displayMode",
                    "table",
                    "placement",
                    "bottom",
                    "showLegend",
                    true),
            "tooltip", Map.of("mode", "multi", "sort", "desc"));
    return create("timeseries", title, description, fieldConfig, options, targets);
  }

  /**
   * A single number coloured by its thresholds, last value of an instant query.
   *
   * @param title header text
   * @param description what it shows
   * @param fieldConfig unit, thresholds
   * @param target an instant query returning one series
   * @return the panel
   */
  public static Panel stat(
      String title, String description, FieldConfig fieldConfig, Target target) {
    Map<String, Object> options =
        Map.of(
            "colorMode",
            "value",
            "graphMode",
            "none",
            "justifyMode",
            "auto",
            "orientation",
            "auto",
            "reduceOptions",
            REDUCE_LAST,
            "textMode",
            "value");
    return create("stat", title, description, fieldConfig, options, List.of(target));
  }

  /**
   * A gauge with its threshold markers, last value of an instant query.
   *
   * @param title header text
   * @param description what it shows
   * @param fieldConfig unit, range, thresholds
   * @param target an instant query returning one series
   * @return the panel
   */
  public static Panel gauge(
      String title, String description, FieldConfig fieldConfig, Target target) {
    Map<String, Object> options =
        Map.of(
            "orientation",
            "auto",
            "reduceOptions",
            REDUCE_LAST,
            "showThresholdLabels",
            false,
            "showThresholdMarkers",
            true);
    return create("gauge", title, description, fieldConfig, options, List.of(target));
  }

  /**
   * A table of the label sets an instant query returns, one row per series.
   *
   * @param title header text
   * @param description what it shows
   * @param fieldConfig text shown when empty
   * @param target an instant query
   * @param hiddenColumns columns left out (e.g. {@code Time}, {@code Value}, {@code __name__})
   * @return the panel
   */
  public static Panel table(
      String title,
      String description,
      FieldConfig fieldConfig,
      Target target,
      List<String> hiddenColumns) {
    Map<String, Object> hidden = new TreeMap<>();
    hiddenColumns.forEach(c -> hidden.put(c, true));
    return create(
        "table",
        title,
        description,
        fieldConfig,
        Map.of("cellHeight", "sm", "showHeader", true),
        List.of(target.asTable()),
        List.of(Map.of("id", "organize", "options", Map.of("excludeByName", hidden))));
  }

  /**
   * @param added panel links for the header menu
   * @return a copy with them
   */
  public Panel withLinks(List<Link> added) {
    return new Panel(
        id,
        type,
        title,
        description,
        gridPos,
        datasource,
        targets,
        fieldConfig,
        options,
        List.copyOf(added),
        transformations,
        collapsed,
        panels);
  }

  /**
   * @param panelId the id in the dashboard
   * @param position where it sits
   * @return a copy placed on the grid
   */
  public Panel placed(int panelId, GridPos position) {
    return new Panel(
        panelId,
        type,
        title,
        description,
        position,
        datasource,
        targets,
        fieldConfig,
        options,
        links,
        transformations,
        collapsed,
        panels);
  }

  private static Panel create(
      String type,
      String title,
      String description,
      FieldConfig fieldConfig,
      Map<String, Object> options,
      List<Target> targets) {
    return create(type, title, description, fieldConfig, options, targets, null);
  }

  private static Panel create(
      String type,
      String title,
      String description,
      FieldConfig fieldConfig,
      Map<String, Object> options,
      List<Target> targets,
      List<Map<String, Object>> transformations) {
    List<Target> lettered = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      lettered.add(targets.get(i).withRefId(String.valueOf((char) ('A' + i))));
    }
    return new Panel(
        null,
        type,
        title,
        description,
        null,
        DatasourceRef.PROMETHEUS,
        List.copyOf(lettered),
        fieldConfig,
        options,
        null,
        transformations,
        null,
        null);
  }
}
