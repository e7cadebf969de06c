package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;

/** The names vigil gives to recorded series and alerts, and the selector of one SLO's series. */
public final class SloSeries {

  /**
   * Bad events in the {@link RecordedWindows#BASE} minute before each evaluation, read from the
   * SLI's raw series: {@code slo:sli_bad:increase1m}. Every other window sums these.
   */
  public static final String BAD_EVENTS = "slo:sli_bad:increase" + RecordedWindows.BASE;

  /** All events in the minute before each evaluation: {@code slo:sli_total:increase1m}. */
  public static final String TOTAL_EVENTS = "slo:sli_total:increase" + RecordedWindows.BASE;

  /** Bad events / all events over a window: {@code slo:sli_error:ratio_rate5m}. */
  public static final String ERROR_RATIO = "slo:sli_error:ratio_rate";

  /** All events per second over a window: {@code slo:sli_total:rate5m}. */
  public static final String TOTAL_RATE = "slo:sli_total:rate";

  /** Bad events / all events over the whole period, event-weighted. */
  public static final String PERIOD_ERROR_RATIO = "slo:sli_error:ratio_period";

  /** The objective as a ratio, e.g. 0.999. */
  public static final String OBJECTIVE = "slo:objective:ratio";

  /** The error budget as a ratio, e.g. 0.001. */
  public static final String ERROR_BUDGET = "slo:error_budget:ratio";

  /** The period the rules measure, in seconds. */
  public static final String PERIOD_SECONDS = "slo:period:seconds";

  /** Burn rate over the last 5m (1 = the budget lasts exactly the period). */
  public static final String CURRENT_BURN_RATE = "slo:current_burn_rate:ratio";

  /** Average burn rate over the period so far. */
  public static final String PERIOD_BURN_RATE = "slo:period_burn_rate:ratio";

  /** Share of the period's error budget not yet spent (1 = untouched, below 0 = overspent). */
  public static final String BUDGET_REMAINING = "slo:error_budget_remaining:ratio";

  /** Page-tier burn-rate alert (severity critical). */
  public static final String ALERT_PAGE = "SloBurnRatePage";

  /** Ticket-tier burn-rate alert (severity warning). */
  public static final String ALERT_TICKET = "SloBurnRateTicket";

  /** The budget left is below the policy's exhausted threshold. */
  public static final String ALERT_EXHAUSTED = "SloErrorBudgetExhausted";

  /** The SLI's total series are missing: the SLO is blind. */
  public static final String ALERT_ABSENT = "SloSliAbsent";

  private SloSeries() {}

  /**
   * @param window a recorded window @return e.g. {@code slo:sli_error:ratio_rate1h}
   */
  public static String errorRatio(PromDuration window) {
    return ERROR_RATIO + window;
  }

  /**
   * @param window a recorded window @return e.g. {@code slo:sli_total:rate1h}
   */
  public static String totalRate(PromDuration window) {
    return TOTAL_RATE + window;
  }

  /**
   * @param slo an SLO @return its label matchers, e.g. {@code
   *     {service="catalog",slo="availability"}}
   */
  public static String matchers(Slo slo) {
    return "{service=\"" + slo.service() + "\",slo=\"" + slo.name() + "\"}";
  }

  /**
   * The sum of one SLO's recorded event counts over a window: the events in it, at a cost of window
   * / {@link RecordedWindows#BASE} samples whatever the number of raw series.
   *
   * @param events {@link #BAD_EVENTS} or {@link #TOTAL_EVENTS}
   * @param slo the SLO
   * @param window e.g. 30d
   * @return e.g. {@code sum_over_time(slo:sli_bad:increase1m{service="a",slo="b"}[4m59s999ms])}
   */
  public static String sumOver(String events, Slo slo, PromDuration window) {
    return "sum_over_time(" + events + matchers(slo) + "[" + RecordedWindows.range(window) + "])";
  }

  /**
   * The SLO's error ratio over a window from its recorded event counts: bad events / all events,
   * event-weighted (never an average of ratios); no value when the window recorded no events. The
   * recording rules, the report and the console all use this one expression.
   *
   * @param slo the SLO
   * @param window e.g. 1h or the period
   * @return PromQL for the ratio 0..1, on three lines
   */
  public static String ratioOver(Slo slo, PromDuration window) {
    return sumOver(BAD_EVENTS, slo, window) + "\n/\n" + sumOver(TOTAL_EVENTS, slo, window);
  }
}
