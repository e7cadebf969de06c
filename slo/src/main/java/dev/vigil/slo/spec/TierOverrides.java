package dev.vigil.slo.spec;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code alerting} section of a vigil/v1 SLO: the workbook tiers, with each listed tier
 * overriding the default of the same name (or adding a new tier), and the guards.
 */
final class TierOverrides {

  private TierOverrides() {}

  static AlertPolicy read(SpecNode alerting) {
    AlertPolicy defaults = AlertPolicy.workbook();
    List<AlertTier> tiers = new ArrayList<>(defaults.tiers());
    alerting.allowOnly("minEvents", "absentFor", "exhaustedFor", "tiers");
    for (SpecNode t : alerting.get("tiers").items()) {
      t.allowOnly(
          "name", "severity", "budgetPercent", "longWindow", "shortWindow", "for", "enabled");
      String name =
          t.get("name")
              .requiredText(
                  "name the tier, e.g. page-1h (the defaults are page-1h, page-6h, ticket-1d, ticket-3d)");
      if (name == null) {
        continue;
      }
      int index = indexOf(tiers, name);
      AlertTier base = index >= 0 ? tiers.get(index) : null;
      String severity = t.get("severity").text(base == null ? null : base.severity());
      if (severity == null) {
        t.get("severity")
            .problem(
                "is required for a new tier",
                "write severity: critical (page) or warning (ticket)");
      }
      BigDecimal percent =
          base == null
              ? t.get("budgetPercent")
                  .requiredDecimal(
                      "write the share of the budget the long window may consume, in percent, e.g. 2")
              : t.get("budgetPercent")
                  .decimal(base.budgetPercent(), "write a percentage like 2 or 5");
      PromDuration longWindow =
          durationOf(t.get("longWindow"), base == null ? null : base.longWindow());
      PromDuration shortWindow =
          durationOf(t.get("shortWindow"), base == null ? null : base.shortWindow());
      PromDuration forDuration =
          t.get("for")
              .parse(
                  PromDuration::parse,
                  base == null ? AlertPolicy.NO_FOR : base.forDuration(),
                  "write a duration such as 0s (fire at the first evaluation), 2m or 5m");
      boolean enabled = Boolean.parseBoolean(t.get("enabled").text("true"));
      if (severity == null
          || percent == null
          || longWindow == null
          || shortWindow == null
          || forDuration == null) {
        continue;
      }
      AlertTier tier =
          new AlertTier(
              name, severity, percent, longWindow, shortWindow, forDuration, enabled, null);
      if (index >= 0) {
        tiers.set(index, tier);
      } else {
        tiers.add(tier);
      }
    }
    long minEvents =
        alerting
            .get("minEvents")
            .decimal(
                BigDecimal.valueOf(defaults.minEvents()), "write a whole number of events, e.g. 10")
            .longValue();
    PromDuration absentFor = durationOf(alerting.get("absentFor"), defaults.absentFor());
    PromDuration exhaustedFor = durationOf(alerting.get("exhaustedFor"), defaults.exhaustedFor());
    return new AlertPolicy(
        tiers,
        minEvents,
        absentFor == null ? defaults.absentFor() : absentFor,
        exhaustedFor == null ? defaults.exhaustedFor() : exhaustedFor);
  }

  private static PromDuration durationOf(SpecNode node, PromDuration fallback) {
    if (node.absent() && fallback == null) {
      node.problem(
          "is required for a new tier",
          "write a window such as 1h; the recorded windows are 5m 30m 1h 2h 6h 1d 3d");
      return null;
    }
    return node.parse(
        PromDuration::parsePositive, fallback, "write a duration such as 5m, 1h or 3d");
  }

  private static int indexOf(List<AlertTier> tiers, String name) {
    for (int i = 0; i < tiers.size(); i++) {
      if (tiers.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
