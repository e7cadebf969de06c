package dev.vigil.slo.dashboard;

/**
 * A reference to a Grafana data source by its fixed UID, as provisioned in {@code
 * deploy/grafana/provisioning/datasources/datasources.yaml}. Fixed UIDs keep panels and links
 * working across re-provisioning; the dashboard lint test checks that every UID used here is
 * provisioned.
 *
 * @param type the data source plugin id, e.g. {@code prometheus}
 * @param uid the data source UID, e.g. {@code prometheus}
 */
public record DatasourceRef(String type, String uid) {

  /** Prometheus: metrics, recording rules, ALERTS, exemplars. */
  public static final DatasourceRef PROMETHEUS = new DatasourceRef("prometheus", "prometheus");

  /** Loki: the services' JSON logs, label {@code service}. */
  public static final DatasourceRef LOKI = new DatasourceRef("loki", "loki");

  /** Tempo: traces, resource attribute {@code service.name}. */
  public static final DatasourceRef TEMPO = new DatasourceRef("tempo", "tempo");
}
