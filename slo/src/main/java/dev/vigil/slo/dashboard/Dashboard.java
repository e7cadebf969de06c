package dev.vigil.slo.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A Grafana dashboard as provisioned from a JSON file (Grafana's dashboard JSON model, schema
 * version {@value #SCHEMA_VERSION}). Serialized by {@link DashboardJson}.
 *
 * @param uid fixed identifier, part of the dashboard's URL ({@code /d/<uid>}), at most {@value
 *     #MAX_UID_LENGTH} characters
 * @param title the name in Grafana's dashboard list
 * @param description one sentence: what the dashboard is for and where it is generated from
 * @param tags search tags; every vigil dashboard has {@code vigil} and its service's name
 * @param links top-bar links to related dashboards
 * @param panels the placed panels, rows first in their row
 * @param templating {@code {"list": [variables]}}
 * @param time the default range, e.g. {@code {"from": "now-6h", "to": "now"}}
 * @param refresh the auto-refresh interval, e.g. {@code 30s}
 * @param timezone {@code utc}: alerts, logs and runbooks all speak UTC
 * @param schemaVersion the dashboard schema: {@value #SCHEMA_VERSION} (Grafana 10.4; later Grafana
 *     versions migrate it on load)
 * @param editable false: the dashboards are generated, edits belong in the generator
 * @param graphTooltip 1: a shared crosshair across panels
 */
public record Dashboard(
    String uid,
    String title,
    String description,
    List<String> tags,
    List<DashboardLink> links,
    List<Panel> panels,
    Map<String, List<Variable>> templating,
    Map<String, String> time,
    String refresh,
    String timezone,
    int schemaVersion,
    boolean editable,
    int graphTooltip) {

  /** The dashboard JSON schema version vigil writes. */
  public static final int SCHEMA_VERSION = 39;

  /** The tag every vigil dashboard carries. */
  public static final String TAG = "vigil";

  /** Grafana's limit on a dashboard uid's length. */
  public static final int MAX_UID_LENGTH = 40;

  /**
   * A uid Grafana accepts for a name: the name itself when it has at most {@value #MAX_UID_LENGTH}
   * characters, else its first 31 characters, a dash and the 8 hex digits of the name's CRC-32, so
   * long service names still give distinct, stable uids.
   *
   * @param name e.g. {@code vigil-catalog-golden-signals}; letters, digits, '-' and '_'
   * @return the uid, at most {@value #MAX_UID_LENGTH} characters
   */
  public static String uid(String name) {
    if (name.length() <= MAX_UID_LENGTH) {
      return name;
    }
    CRC32 crc = new CRC32();
    crc.update(name.getBytes(StandardCharsets.UTF_8));
    return name.substring(0, MAX_UID_LENGTH - 9) + "-" + String.format("%08x", crc.getValue());
  }

  /**
   * A vigil dashboard: UTC, not editable, shared crosshair, refreshed every 30 s, linked to the
   * other dashboards of the same service.
   *
   * @param uid fixed identifier, see {@link #uid(String)}
   * @param title display name
   * @param description what it is for
   * @param service the service, added to the tags
   * @param panels placed panels
   * @param variables the variable bar, possibly empty
   * @param from the default start of the range, e.g. {@code now-6h}
   * @return the dashboard
   */
  public static Dashboard of(
      String uid,
      String title,
      String description,
      String service,
      List<Panel> panels,
      List<Variable> variables,
      String from) {
    List<String> tags = List.of(TAG, service);
    return new Dashboard(
        uid,
        title,
        description,
        tags,
        List.of(DashboardLink.tagged(tags)),
        panels,
        Map.of("list", List.copyOf(variables)),
        Map.of("from", from, "to", "now"),
        "30s",
        "utc",
        SCHEMA_VERSION,
        false,
        1);
  }
}
