package dev.vigil.slo.spec;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads vigil's native {@code vigil/v1} format, documented in docs/slo-spec.md. */
final class VigilFormat {

  List<Slo> read(SpecNode doc) {
    List<Slo> out = new ArrayList<>();
    doc.allowOnly("apiVersion", "service", "labels", "slos");
    String service =
        doc.get("service").requiredText("name the service the SLOs measure, e.g. service: catalog");
    Map<String, String> labels = doc.get("labels").stringMap();
    List<SpecNode> slos = doc.get("slos").items();
    if (slos.isEmpty()) {
      doc.get("slos").problem("holds no SLO", "list at least one SLO under slos:");
    }
    for (SpecNode s : slos) {
      s.allowOnly("name", "description", "objective", "period", "timeZone", "sli", "alerting");
      String name = s.get("name").requiredText("name the SLO, e.g. availability");
      String description = s.get("description").text("");
      BigDecimal objective =
          s.get("objective")
              .requiredDecimal("write the objective in percent, e.g. objective: 99.9");
      Period period = period(s);
      Sli sli = sli(s.get("sli"), service, name);
      AlertPolicy alerting = TierOverrides.read(s.get("alerting"));
      boolean complete =
          service != null && name != null && objective != null && period != null && sli != null;
      if (!complete && objective != null) {
        // the SLO cannot be built, so the validator will not see it: check what can be checked now
        dev.vigil.slo.model.ObjectiveRange.check(objective, s.get("objective")::problem);
      }
      if (complete) {
        out.add(
            new Slo(
                doc.file(),
                s.path(),
                service,
                name,
                description,
                objective,
                period,
                sli,
                alerting,
                labels));
      }
    }
    return out;
  }

  static Period period(SpecNode s) {
    SpecNode p = s.get("period");
    String text =
        p.requiredText(
            "write a rolling window such as 30d or 28d, or a calendar period: month or quarter");
    if (text == null) {
      return null;
    }
    if (text.equals("month") || text.equals("quarter")) {
      ZoneId zone =
          s.get("timeZone")
              .parse(
                  Period::zone,
                  ZoneId.of("UTC"),
                  "write an IANA time zone such as Europe/Berlin or UTC");
      try {
        return zone == null ? null : Period.calendar(text, zone);
      } catch (java.time.DateTimeException e) {
        s.get("timeZone")
            .problem(e.getMessage(), "write an IANA time zone such as Europe/Berlin or UTC");
        return null;
      }
    }
    PromDuration window =
        p.parse(
            PromDuration::parsePositive,
            null,
            "write a rolling window such as 30d or 28d, or a calendar period: month or quarter");
    return window == null ? null : Period.rolling(window);
  }

  private static Sli sli(SpecNode sli, String service, String name) {
    sli.allowOnly("events", "latency", "timeslices");
    sli.get("events").allowOnly("bad", "good", "total");
    sli.get("latency").allowOnly("metric", "selector", "threshold");
    sli.get("timeslices").allowOnly("good", "window", "target", "method");
    SpecNode events = sli.get("events");
    SpecNode latency = sli.get("latency");
    if (!events.absent()) {
      String total =
          events
              .get("total")
              .requiredText(
                  "write PromQL for all events per second, e.g. sum(rate(http_requests_total{service=\"catalog\"}[{{window}}]))");
      String bad = events.get("bad").text(null);
      String good = events.get("good").text(null);
      if ((bad == null) == (good == null)) {
        events.problem(
            "needs exactly one of bad or good",
            "write bad: <PromQL for bad events per second> (or good:)");
        return null;
      }
      return total == null ? null : new Sli.Events(bad, good, total);
    }
    if (!latency.absent()) {
      String metric =
          latency
              .get("metric")
              .requiredText("write the histogram's base name, e.g. http_request_duration_seconds");
      Map<String, String> selector = latency.get("selector").stringMap();
      BigDecimal threshold =
          latency
              .get("threshold")
              .requiredDecimal("write the latency threshold in seconds, e.g. 0.5");
      return metric == null || threshold == null
          ? null
          : new Sli.Latency(metric, selector, threshold);
    }
    SpecNode slices = sli.get("timeslices");
    if (!slices.absent()) {
      String good =
          slices
              .get("good")
              .requiredText(
                  "write PromQL for the slice's value 0..1, e.g. avg_over_time(probe_success{job=\"blackbox-healthz\"}[{{window}}])");
      PromDuration slice =
          slices
              .get("window")
              .parse(
                  PromDuration::parsePositive,
                  PromDuration.parse("1m"),
                  "write a slice length such as 1m");
      String method = slices.get("method").text(Sli.Timeslices.TIMESLICES);
      BigDecimal target;
      if (method.equals(Sli.Timeslices.RATIO_TIMESLICES)) {
        if (!slices.get("target").absent()) {
          slices
              .get("target")
              .problem(
                  "RatioTimeslices counts each slice as its value and has no slice target",
                  "remove target:, or write method: Timeslices to count whole good/bad slices");
          return null;
        }
        target = null;
      } else if (method.equals(Sli.Timeslices.TIMESLICES)) {
        target =
            slices
                .get("target")
                .decimal(
                    BigDecimal.ONE,
                    "write the least value of a good slice, 0 < target <= 1, e.g. 1");
        if (target == null) {
          return null;
        }
      } else {
        slices
            .get("method")
            .problem(
                "'" + method + "' is not a time slice budgeting method",
                "write method: Timeslices (whole good/bad slices, the default) or RatioTimeslices"
                    + " (each slice counts as its good ratio)");
        return null;
      }
      return good == null || slice == null || service == null || name == null
          ? null
          : new Sli.Timeslices(good, slice, target, Sli.Timeslices.verdictsOf(service, name));
    }
    sli.problem(
        "needs events, latency or timeslices",
        "write sli: events: {bad, total}, sli: latency: {metric, selector, threshold} or sli: timeslices: {good, window, target}");
    return null;
  }
}
