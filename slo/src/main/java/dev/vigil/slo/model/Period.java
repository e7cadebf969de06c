package dev.vigil.slo.model;

import dev.vigil.prometheus.PromDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;

/**
 * The time an SLO is measured over: a rolling window ({@code 30d}, {@code 28d}) or a calendar
 * period ({@code month}, {@code quarter}) in a time zone.
 *
 * <p>PromQL has no calendar windows, so the generated Prometheus rules measure a calendar period as
 * a rolling window of its nominal length ({@link #ruleWindow()}: month = 30d, quarter = 90d);
 * {@code vigil slo report} computes the calendar-to-date budget exactly ({@link #start(Instant)}).
 *
 * @param calendar {@code null} for a rolling period, else {@code "month"} or {@code "quarter"}
 * @param rolling the rolling window; for a calendar period its nominal length
 * @param zone the time zone of calendar boundaries (UTC for rolling periods)
 */
public record Period(String calendar, PromDuration rolling, ZoneId zone) {

  /**
   * @param window e.g. {@code 30d} @return a rolling period
   */
  public static Period rolling(PromDuration window) {
    return new Period(null, window, ZoneId.of("UTC"));
  }

  /**
   * @param unit {@code month} or {@code quarter}
   * @param zone the zone whose midnight starts the period
   * @return a calendar period measured by the rules over its nominal length (30d or 90d)
   * @throws IllegalArgumentException for any other unit
   */
  public static Period calendar(String unit, ZoneId zone) {
    return switch (unit) {
      case "month" -> new Period("month", PromDuration.parse("30d"), zone);
      case "quarter" -> new Period("quarter", PromDuration.parse("90d"), zone);
      default ->
          throw new IllegalArgumentException(
              "unknown calendar period '"
                  + unit
                  + "': use month or quarter, or a rolling window like 30d");
    };
  }

  /**
   * Reads a time zone of calendar boundaries.
   *
   * @param text an IANA zone id, e.g. {@code Europe/Berlin} or {@code UTC}
   * @return the zone
   * @throws IllegalArgumentException naming the text when it is empty or not a known zone
   */
  public static ZoneId zone(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("the time zone is empty");
    }
    try {
      return ZoneId.of(text.strip());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time zone (" + e.getMessage() + ")", e);
    }
  }

  /**
   * @return true for month/quarter
   */
  public boolean isCalendar() {
    return calendar != null;
  }

  /**
   * @return the window the Prometheus rules use: the rolling window, or the calendar nominal length
   */
  public PromDuration ruleWindow() {
    return rolling;
  }

  /**
   * The start of the period that contains {@code at}: {@code at - window} for rolling periods, the
   * first midnight of the month or quarter in {@link #zone()} for calendar periods.
   *
   * @param at the evaluation instant
   * @return the period start
   */
  public Instant start(Instant at) {
    if (!isCalendar()) {
      return at.minus(rolling.toDuration());
    }
    LocalDate day = ZonedDateTime.ofInstant(at, zone).toLocalDate();
    LocalDate first =
        calendar.equals("month") ? day.withDayOfMonth(1) : day.with(IsoFields.DAY_OF_QUARTER, 1);
    return first.atStartOfDay(zone).toInstant();
  }

  /**
   * The full length of the period that contains {@code at}: the rolling window, or the length of
   * this calendar month/quarter (28 to 92 days).
   *
   * @param at the evaluation instant
   * @return the period length
   */
  public Duration length(Instant at) {
    if (!isCalendar()) {
      return rolling.toDuration();
    }
    ZonedDateTime start = ZonedDateTime.ofInstant(start(at), zone);
    ZonedDateTime end = calendar.equals("month") ? start.plusMonths(1) : start.plusMonths(3);
    return Duration.between(start, end);
  }

  @Override
  public String toString() {
    return isCalendar() ? calendar + " (" + zone + ")" : rolling.toString();
  }
}
