package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.util.List;

/**
 * The windows of every SLO's recordings, as data: the base window whose event counts are the only
 * rules that read the SLI's raw series, and the windows summed from those counts (besides the full
 * period). Alert tiers may only use {@link #ALL}: a tier's long and short window read {@code
 * slo:sli_error:ratio_rate<window>}.
 *
 * <p>Cost: a window w summed from the base counts touches at most w / {@link #BASE} samples of the
 * SLO's own recordings per evaluation, whatever the number of raw series (30d: 43,200 samples).
 */
public final class RecordedWindows {

  /**
   * The base window and the evaluation interval of every SLO rule group: each evaluation records
   * the SLI's bad and total events over the minute before it, so consecutive evaluations tile time
   * and a window's events are the sum of its evaluations' counts (event-weighted, exact).
   */
  public static final PromDuration BASE = PromDuration.ofMinutes(1);

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

  /**
   * A range selector's duration holding exactly {@code window / BASE} evaluations of a group
   * evaluated every {@link #BASE}: the window less 1 ms. Prometheus 2.x includes the sample at the
   * range's start ({@code [5m]} holds 6 one-minute evaluations, counting the first minute twice
   * once summed with the window before it); VictoriaMetrics and Prometheus 3 exclude it, and agree
   * on the shortened range.
   *
   * @param window e.g. {@code 5m}
   * @return e.g. {@code 4m59s999ms}
   */
  public static String range(PromDuration window) {
    long ms = window.millis() - 1;
    StringBuilder out = new StringBuilder();
    long[] units = {86_400_000, 3_600_000, 60_000, 1000, 1};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (ms >= units[i]) {
        out.append(ms / units[i]).append(names[i]);
        ms %= units[i];
      }
    }
    return out.toString();
  }
}
