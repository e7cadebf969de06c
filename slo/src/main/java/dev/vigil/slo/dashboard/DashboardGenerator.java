package dev.vigil.slo.dashboard;

import dev.vigil.slo.model.Slo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Grafana renderer of the one dashboard model ({@link Dashboards}): compiles SLOs into Grafana
 * dashboard JSON, four per service that has SLOs, keyed by path relative to the output directory
 * (normally {@code deploy/}, next to the rules compiled from the same specs):
 *
 * <ul>
 *   <li>{@code grafana/dashboards/<service>-slo.json}: {@link SloDashboard};
 *   <li>{@code grafana/dashboards/<service>-golden-signals.json}: {@link GoldenSignalsDashboard};
 *   <li>{@code grafana/dashboards/<service>-dependencies.json}: {@link DependenciesDashboard};
 *   <li>{@code grafana/dashboards/<service>-saturation.json}: {@link SaturationDashboard}.
 * </ul>
 *
 * Grafana loads them through the file provider {@code
 * deploy/grafana/provisioning/dashboards/vigil.yaml}.
 */
public final class DashboardGenerator {

  /** The dashboards' directory, relative to the output directory. */
  public static final String DIRECTORY = "grafana/dashboards";

  /**
   * @param slos valid SLOs (see {@code SloValidator}) of one or more services
   * @return JSON text by relative path, services in order of first appearance, SLO dashboard first
   */
  public Map<String, String> files(List<Slo> slos) {
    // each dashboard's JSON is independent of the others: write them side by side, keep the order
    List<Map.Entry<String, Dashboard>> dashboards = List.copyOf(Dashboards.of(slos).entrySet());
    List<String> json =
        dashboards.parallelStream().map(e -> DashboardJson.write(e.getValue())).toList();
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < dashboards.size(); i++) {
      files.put(DIRECTORY + "/" + dashboards.get(i).getKey(), json.get(i));
    }
    return files;
  }
}
