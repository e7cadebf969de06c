package dev.vigil.slo.dashboard;

import dev.vigil.slo.model.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles SLOs into Grafana dashboards, two per service that has SLOs, keyed by path relative to
 * the output directory (normally {@code deploy/}, next to the rules compiled from the same specs):
 *
 * <ul>
 *   <li>{@code grafana/dashboards/<service>-slo.json}: {@link SloDashboard};
 *   <li>{@code grafana/dashboards/<service>-golden-signals.json}: {@link GoldenSignalsDashboard}.
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
    Map<String, List<Slo>> byService = new LinkedHashMap<>();
    for (Slo slo : slos) {
      byService.computeIfAbsent(slo.service(), k -> new ArrayList<>()).add(slo);
    }
    Map<String, String> files = new LinkedHashMap<>();
    byService.forEach(
        (service, own) -> {
          files.put(
              DIRECTORY + "/" + service + "-slo.json",
              DashboardJson.write(new SloDashboard().build(service, own)));
          files.put(
              DIRECTORY + "/" + service + "-golden-signals.json",
              DashboardJson.write(new GoldenSignalsDashboard().build(service)));
        });
    return files;
  }
}
