package dev.vigil.slo.dashboard;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One query of a panel.
 *
 * @param refId the query's letter within its panel: A, B, C...
 * @param datasource the data source the query runs on
 * @param expr the PromQL expression
 * @param legendFormat the series name template, e.g. {@code {{endpoint}} {{status}}}
 * @param instant true for a single evaluation at the end of the range (stat, table panels), false
 *     for a range query (time series)
 * @param format {@code table} for table panels, else null (time series)
 * @param exemplar true to fetch exemplars with the series (each links to its trace)
 */
public record Target(
    String refId,
    DatasourceRef datasource,
    String expr,
    String legendFormat,
    boolean instant,
    String format,
    boolean exemplar) {

  /**
   * A range query drawn as a time series.
   *
   * @param expr PromQL
   * @param legendFormat series name template
   * @return the target, refId set by {@link Panel}
   */
  public static Target range(String expr, String legendFormat) {
    return new Target(null, DatasourceRef.PROMETHEUS, expr, legendFormat, false, null, false);
  }

  /**
   * An instant query for stat, gauge and table panels.
   *
   * @param expr PromQL
   * @param legendFormat series name template
   * @return the target, refId set by {@link Panel}
   */
  public static Target instant(String expr, String legendFormat) {
    return new Target(null, DatasourceRef.PROMETHEUS, expr, legendFormat, true, null, false);
  }

  /**
   * @return whether Grafana runs it as a range query (the negation of {@link #instant()})
   */
  @JsonProperty("range")
  public boolean range() {
    return !instant;
  }

  /**
   * @return a copy that fetches exemplars
   */
  public Target withExemplars() {
    return new Target(refId, datasource, expr, legendFormat, instant, format, true);
  }

  /**
   * @return a copy whose instant result Grafana shows as a table (one row per series)
   */
  public Target asTable() {
    return new Target(refId, datasource, expr, legendFormat, instant, "table", exemplar);
  }

  Target withRefId(String id) {
    return new Target(id, datasource, expr, legendFormat, instant, format, exemplar);
  }
}
