package dev.vigil.slo.dashboard;

/**
 * A link shown in a panel's header menu (panel link) or on a data point (data link, in {@link
 * FieldConfig.Defaults#links()}). Grafana replaces {@code ${variables}} in the URL, including
 * {@code ${__from}} and {@code ${__to}} (the time range in epoch milliseconds). It opens in the
 * same tab.
 *
 * @param title the text people click
 * @param url a Grafana-relative URL, e.g. an Explore URL from {@link ExploreUrl}
 */
public record Link(String title, String url) {}
