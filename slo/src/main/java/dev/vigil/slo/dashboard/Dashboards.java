package dev.vigil.slo.dashboard;

import dev.vigil.slo.model.Slo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one dashboard model: every dashboard vigil shows, built once from the SLO specs, for both
 * renderers: {@link DashboardGenerator} writes them as Grafana JSON, the console draws them. Per
 * service that has SLOs, in this order: SLOs ({@link SloDashboard}), golden signals ({@link
 * GoldenSignalsDashboard}), dependencies ({@link DependenciesDashboard}) and saturation ({@link
 * SaturationDashboard}). A panel added to one of them appears in both renderers.
 */
public final class Dashboards {

  private Dashboards() {}

  /**
   * @param slos valid SLOs (see {@code SloValidator}) of one or more services
   * @return the dashboards by file name ({@code <service>-slo.json}, {@code
   *     <service>-golden-signals.json}, {@code <service>-dependencies.json}, {@code
   *     <service>-saturation.json}), services in order of first appearance
   */
  public static Map<String, Dashboard> of(List<Slo> slos) {
    Map<String, List<Slo>> byService = new LinkedHashMap<>();
    for (Slo slo : slos) {
      byService.computeIfAbsent(slo.service(), k -> new ArrayList<>()).add(slo);
    }
    // services are independent: build them side by side, then keep them in order
    List<Map<String, Dashboard>> perService =
        List.copyOf(byService.entrySet()).parallelStream()
            .map(e -> ofService(e.getKey(), e.getValue()))
            .toList();
    Map<String, Dashboard> dashboards = new LinkedHashMap<>();
    perService.forEach(dashboards::putAll);
    return dashboards;
  }

  /** The four dashboards of one service, in order. */
  private static Map<String, Dashboard> ofService(String service, List<Slo> own) {
    Map<String, Dashboard> dashboards = new LinkedHashMap<>();
    dashboards.put(service + "-slo.json", new SloDashboard().build(service, own));
    dashboards.put(service + "-golden-signals.json", new GoldenSignalsDashboard().build(service));
    dashboards.put(service + "-dependencies.json", new DependenciesDashboard().build(service));
    dashboards.put(service + "-saturation.json", new SaturationDashboard().build(service));
    return dashboards;
  }
}
