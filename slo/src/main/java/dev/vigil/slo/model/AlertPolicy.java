package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.util.List;

/**
 * The burn-rate alert tiers of an SLO plus the guards shared by all of them.
 *
 * @param tiers the multi-window multi-burn-rate tiers, in the order they are generated
 * @param minEvents the least number of events the long window must hold before a burn-rate alert
 *     may fire (guards low-traffic noise: one failed request out of two is not an outage)
 * @param absentFor how long the SLI's series may be missing before {@code SloSliAbsent} fires
 * @param exhaustedFor how long the budget must stay exhausted before {@code
 *     SloErrorBudgetExhausted} fires
 */
public record AlertPolicy(
    List<AlertTier> tiers, long minEvents, PromDuration absentFor, PromDuration exhaustedFor) {

  /**
   * The default {@code for} of the burn-rate tiers and of a new tier: none (fire at the first
   * evaluation).
   */
  public static final PromDuration NO_FOR = PromDuration.ofSeconds(0);

  /** The class-path resource holding the default tiers, as data (Sloth keeps its windows so). */
  public static final String WORKBOOK_WINDOWS = "workbook-windows.yaml";

  /**
   * The Google SRE Workbook's recommended tiers ("Alerting on SLOs", table 5-8, and Sloth's
   * defaults): page on 2% of the budget in 1h (short window 5m) and 5% in 6h (30m); ticket on 10%
   * in 1d (2h) and 10% in 3d (6h). No {@code for}: the short window already confirms the burn is
   * still going on, and any {@code for} delays the page by that much (docs/slo-spec.md, "Detection
   * times").
   */
  public static final List<AlertTier> WORKBOOK_TIERS = WindowsCatalogue.load(WORKBOOK_WINDOWS);

  /** Default minimum of events in the long window. */
  public static final long DEFAULT_MIN_EVENTS = 10;

  /**
   * @return the workbook tiers with the default guards
   */
  public static AlertPolicy workbook() {
    return new AlertPolicy(
        WORKBOOK_TIERS, DEFAULT_MIN_EVENTS, PromDuration.parse("10m"), PromDuration.parse("5m"));
  }

  /**
   * @return the enabled tiers only
   */
  public List<AlertTier> enabledTiers() {
    return tiers.stream().filter(AlertTier::enabled).toList();
  }
}
