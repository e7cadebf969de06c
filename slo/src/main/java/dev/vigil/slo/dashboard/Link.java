package dev.vigil.slo.dashboard;

/**
 * A link shown in a panel's header menu (panel link) or on a data point (data link, in
 * {@link FieldConfig#links()}). Grafana replaces {@code ${variables}} in the URL, including
 * {@code ${__from}} and {@code ${__to}} (the time range in epoch milliseconds).
 *
 * @param title the text people click
 * @param url a Grafana-relative URL, e.g. an Explore URL from {@link ExploreUrl}
 * @param targetBlank true to open in a new tab
 */
public record Link(String title, String url, boolean targetBlank) {

  /**
   * @param title the text people click
   * @param url the URL
   * @return a link opening in the same tab
   */
  public static Link to(String title, String url) {
    return new Link(title, url, false);
  }
}
