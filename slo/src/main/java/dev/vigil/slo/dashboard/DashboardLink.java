package dev.vigil.slo.dashboard;

import java.util.List;

/**
 * A link in the dashboard's top bar to every other dashboard with the given tags, keeping the time
 * range and variables (so the SLO and golden-signals dashboards of a service open each other).
 *
 * @param title the text shown
 * @param type always {@code dashboards}: a list of dashboards found by tag
 * @param tags the tags searched
 * @param asDropdown false: one link per dashboard
 * @param keepTime true: the target opens on the same time range
 * @param includeVars true: variables with the same name carry over
 */
public record DashboardLink(
    String title,
    String type,
    List<String> tags,
    boolean asDropdown,
    boolean keepTime,
    boolean includeVars) {

  /**
   * @param tags the tags of the dashboards to link to
   * @return a link to each of them
   */
  public static DashboardLink tagged(List<String> tags) {
    return new DashboardLink("Related", "dashboards", List.copyOf(tags), false, true, true);
  }
}
