package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.util.List;

/**
 * The windows every SLO's error ratio is recorded over (besides the full period). Alert tiers may
 * only use these windows: a tier's long and short window read {@code
 * slo:sli_error:ratio_rate<window>}.
 */
public final class RecordedWindows {

  /**
   * 5m, 30m, 1h, 2h, 6h, 1d, 3d: the SRE Workbook's alert windows plus 2h and 1d for dashboards.
   */
  public static final List<PromDuration> ALL =
      List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d").stream().map(PromDuration::parse).toList();

  private RecordedWindows() {}

  /**
   * @param window a duration @return whether it is recorded
   */
  public static boolean contains(PromDuration window) {
    return ALL.contains(window);
  }
}
