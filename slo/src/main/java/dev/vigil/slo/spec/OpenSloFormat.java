package dev.vigil.slo.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.BudgetMath;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads OpenSLO {@code openslo/v1} documents (https://github.com/OpenSLO/OpenSLO): SLO, SLI,
 * AlertPolicy, AlertCondition and Service, in one file, referencing each other by name.
 *
 * <p>Supported: {@code ratioMetric} with good or bad plus total from a Prometheus metric source;
 * rolling time windows ({@code 28d}) and calendar ones ({@code 1M}, {@code 1Q} with a time zone);
 * {@code Occurrences} budgeting (events), and {@code Timeslices} / {@code RatioTimeslices} onto
 * vigil's time slice SLI ({@link Sli.Timeslices}: the slice's value is a {@code raw} ratio ({@code
 * rawType: success|failure}; a bare 0/1 gauge selector such as {@code probe_success} is averaged
 * over the slice) or good/total over {@code timeSliceWindow}, judged against {@code
 * timeSliceTarget} for Timeslices); one objective per SLO; burn-rate AlertConditions (threshold =
 * burn-rate factor over {@code lookbackWindow}, short window = lookback / 12 as in the SRE
 * Workbook, {@code alertAfter} = {@code for}). Everything else (thresholdMetric, other metric
 * sources, several objectives) is rejected with a problem saying so.
 */
final class OpenSloFormat {

  private static final Pattern BARE_SELECTOR =
      Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*})?");

  /** Documents looked up by reference while reading the SLOs ("SLI/name"...). */
  private final java.util.Set<String> referenced = new java.util.HashSet<>();

  List<Slo> read(Path file, List<JsonNode> docs, List<Problem> problems) {
    Map<String, SpecNode> byKindAndName = new HashMap<>();
    List<SpecNode> slos = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      SpecNode doc =
          new SpecNode(file, docs.size() > 1 ? "[doc " + i + "]" : "", docs.get(i), problems);
      String kind = doc.get("kind").text("");
      String name = doc.get("metadata").get("name").text("");
      checkKeys(doc, kind);
      switch (kind) {
        case "SLO" -> slos.add(doc);
        case "SLI", "AlertPolicy", "AlertCondition", "Service", "DataSource" ->
            byKindAndName.put(kind + "/" + name, doc);
        case "AlertNotificationTarget" -> {
          // routing is Alertmanager's (deploy/alertmanager): nothing to read
        }
        default ->
            doc.get("kind")
                .problem(
                    "'" + kind + "' is not an OpenSLO kind",
                    "use SLO, SLI, AlertPolicy, AlertCondition, Service, DataSource or"
                        + " AlertNotificationTarget");
      }
    }
    List<Slo> out = new ArrayList<>();
    for (SpecNode doc : slos) {
      Slo slo = slo(doc, byKindAndName);
      if (slo != null) {
        out.add(slo);
      }
    }
    // Documents no SLO references are still checked: a broken SLI waiting for its SLO is a problem
    // now, not when someone references it.
    Period month = Period.rolling(PromDuration.parse("30d"));
    for (Map.Entry<String, SpecNode> e : byKindAndName.entrySet()) {
      if (referenced.contains(e.getKey())) {
        continue;
      }
      SpecNode doc = e.getValue();
      switch (e.getKey().substring(0, e.getKey().indexOf('/'))) {
        case "SLI" -> {
          if (doc.get("spec").get("ratioMetric").get("raw").absent()) {
            events(doc.get("spec"), true);
          }
        }
        case "AlertCondition" -> tier(doc, month);
        case "AlertPolicy" -> conditions(doc, byKindAndName, month, new ArrayList<>());
        default -> {
          // Service and DataSource carry nothing to check beyond their keys
        }
      }
    }
    return out;
  }

  /**
   * Refuses keys OpenSLO v1 does not define for the document's kind (with a did-you-mean), so a
   * misspelt optional field is a problem instead of being ignored.
   */
  private static void checkKeys(SpecNode doc, String kind) {
    doc.allowOnly("apiVersion", "kind", "metadata", "spec");
    doc.get("metadata").allowOnly("name", "displayName", "labels", "annotations");
    SpecNode spec = doc.get("spec");
    switch (kind) {
      case "SLO" -> {
        spec.allowOnly(
            "description",
            "service",
            "indicator",
            "indicatorRef",
            "timeWindow",
            "budgetingMethod",
            "objectives",
            "alertPolicies");
        if (!spec.get("indicator").absent()) {
          checkKeys(spec.get("indicator"), "SLI");
        }
        for (SpecNode w : quietItems(spec.get("timeWindow"))) {
          w.allowOnly("duration", "isRolling", "calendar");
          w.get("calendar").allowOnly("startTime", "timeZone");
        }
        for (SpecNode o : quietItems(spec.get("objectives"))) {
          o.allowOnly(
              "displayName",
              "op",
              "value",
              "target",
              "targetPercent",
              "timeSliceTarget",
              "timeSliceWindow",
              "indicator",
              "indicatorRef",
              "compositeWeight");
        }
        for (SpecNode p : quietItems(spec.get("alertPolicies"))) {
          if (p.node().isObject() && !p.get("kind").absent()) {
            checkKeys(p, "AlertPolicy");
          } else {
            p.allowOnly("alertPolicyRef");
          }
        }
      }
      case "SLI" -> {
        spec.allowOnly("description", "thresholdMetric", "ratioMetric");
        SpecNode ratio = spec.get("ratioMetric");
        ratio.allowOnly("counter", "good", "bad", "total", "raw", "rawType");
        for (String m : List.of("good", "bad", "total", "raw")) {
          checkMetric(ratio.get(m));
        }
        checkMetric(spec.get("thresholdMetric"));
      }
      case "AlertPolicy" -> {
        spec.allowOnly(
            "description",
            "alertWhenNoData",
            "alertWhenResolved",
            "alertWhenBreaching",
            "conditions",
            "notificationTargets");
        for (SpecNode c : quietItems(spec.get("conditions"))) {
          if (!c.get("kind").absent()) {
            checkKeys(c, "AlertCondition");
          } else {
            c.allowOnly("conditionRef");
          }
        }
      }
      case "AlertCondition" -> {
        spec.allowOnly("description", "severity", "condition");
        spec.get("condition").allowOnly("kind", "op", "threshold", "lookbackWindow", "alertAfter");
      }
      case "Service" -> spec.allowOnly("description");
      case "DataSource" -> spec.allowOnly("description", "type", "connectionDetails");
      default -> {
        // unknown kinds are refused by kind
      }
    }
  }

  private static void checkMetric(SpecNode metric) {
    metric.allowOnly("metricSource");
    SpecNode source = metric.get("metricSource");
    source.allowOnly("metricSourceRef", "type", "spec");
    if (source.get("type").text("Prometheus").equalsIgnoreCase("prometheus")) {
      source.get("spec").allowOnly("query");
    }
  }

  /** List items without a "must be a list" problem (the reader of the field reports that). */
  private static List<SpecNode> quietItems(SpecNode list) {
    return list.absent() || !list.node().isArray() ? List.of() : list.items();
  }

  private Slo slo(SpecNode doc, Map<String, SpecNode> refs) {
    SpecNode spec = doc.get("spec");
    String name = doc.get("metadata").get("name").requiredText("name the SLO in metadata.name");
    String service = spec.get("service").requiredText("name the service in spec.service");
    boolean servicesDeclared = refs.keySet().stream().anyMatch(k -> k.startsWith("Service/"));
    if (service != null && servicesDeclared && !refs.containsKey("Service/" + service)) {
      spec.get("service")
          .problem(
              "no Service named '" + service + "' in this file",
              "add a kind: Service document with metadata.name: " + service + ", or fix the name");
    }
    String description =
        spec.get("description").text(doc.get("metadata").get("displayName").text(""));
    String budgeting = spec.get("budgetingMethod").text("Occurrences");
    boolean slices =
        budgeting.equals(Sli.Timeslices.TIMESLICES)
            || budgeting.equals(Sli.Timeslices.RATIO_TIMESLICES);
    if (!budgeting.equals("Occurrences") && !slices) {
      spec.get("budgetingMethod")
          .problem(
              "'" + budgeting + "' is not an OpenSLO budgeting method",
              "use budgetingMethod: Occurrences (events), Timeslices (whole good/bad slices) or"
                  + " RatioTimeslices (the average of the slices' good ratios)");
    }
    BigDecimal objective = objective(spec.get("objectives"));
    Period period = period(spec.get("timeWindow"));
    Sli sli =
        slices ? timeslices(spec, refs, budgeting, service, name) : indicator(spec, refs, true);
    // without a valid period the tiers' factors cannot be computed; the period's problem is already
    // recorded
    AlertPolicy alerting =
        period == null ? null : alerting(spec.get("alertPolicies"), refs, period);
    // what OpenSLO cannot say, as vigil's OpenSloWriter keeps it in annotations
    SpecNode annotations = doc.get("metadata").get("annotations");
    SpecNode latency = annotation(annotations, OpenSloWriter.LATENCY);
    if (latency != null && sli != null) {
      sli = budgeting.equals("Occurrences") ? latency(latency) : null;
      if (!budgeting.equals("Occurrences")) {
        annotations
            .get(OpenSloWriter.LATENCY)
            .problem(
                "a latency SLI counts requests (Occurrences), not " + budgeting,
                "remove the annotation or write budgetingMethod: Occurrences");
      }
    }
    SpecNode policy = annotation(annotations, OpenSloWriter.ALERTING);
    if (policy != null && alerting != null) {
      alerting = policy(policy);
    }
    if (name == null
        || service == null
        || objective == null
        || period == null
        || sli == null
        || alerting == null) {
      return null;
    }
    return new Slo(
        doc.file(),
        doc.path().isEmpty() ? "metadata.name=" + name : doc.path(),
        service,
        name,
        description,
        objective,
        period,
        sli,
        alerting,
        doc.get("metadata").get("labels").stringMap());
  }

  /**
   * The JSON of one of vigil's annotations as a node to read, or null when absent or not JSON (with
   * a problem).
   */
  private static SpecNode annotation(SpecNode annotations, String key) {
    SpecNode text = annotations.get(key);
    if (text.absent()) {
      return null;
    }
    try {
      return new SpecNode(
          text.file(), text.path(), OpenSloWriter.JSON.readTree(text.text("")), text.problems());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      text.problem(
          "is not JSON: " + e.getOriginalMessage(),
          "write the annotation as vigil slo convert --to openslo writes it, or remove it");
      return null;
    }
  }

  /** The latency SLI of the {@link OpenSloWriter#LATENCY} annotation, or null with problems. */
  private static Sli latency(SpecNode json) {
    json.allowOnly("metric", "selector", "threshold");
    String metric = json.get("metric").requiredText("write the histogram's base name");
    Map<String, String> selector = json.get("selector").stringMap();
    BigDecimal threshold =
        json.get("threshold").requiredDecimal("write the latency threshold in seconds, e.g. 0.5");
    return metric == null || threshold == null
        ? null
        : new Sli.Latency(metric, selector, threshold);
  }

  /**
   * The alerting policy of the {@link OpenSloWriter#ALERTING} annotation, or null with problems.
   */
  private static AlertPolicy policy(SpecNode json) {
    json.allowOnly("minEvents", "absentFor", "exhaustedFor", "tiers");
    AlertPolicy defaults = AlertPolicy.workbook();
    BigDecimal minEvents =
        json.get("minEvents")
            .decimal(BigDecimal.valueOf(defaults.minEvents()), "write a whole number, e.g. 10");
    PromDuration absentFor =
        json.get("absentFor")
            .parse(PromDuration::parse, defaults.absentFor(), "write a duration such as 10m");
    PromDuration exhaustedFor =
        json.get("exhaustedFor")
            .parse(PromDuration::parse, defaults.exhaustedFor(), "write a duration such as 5m");
    if (minEvents != null
        && (minEvents.signum() < 0 || minEvents.stripTrailingZeros().scale() > 0)) {
      json.get("minEvents").problem("must be a whole number of events", "write e.g. 10");
      minEvents = null;
    }
    List<AlertTier> tiers = new ArrayList<>();
    boolean complete = minEvents != null && absentFor != null && exhaustedFor != null;
    for (SpecNode t : json.get("tiers").items()) {
      t.allowOnly(
          "name",
          "severity",
          "budgetPercent",
          "longWindow",
          "shortWindow",
          "for",
          "enabled",
          "factor");
      String name = t.get("name").requiredText("name the tier");
      String severity = t.get("severity").requiredText("write critical or warning");
      BigDecimal percent = t.get("budgetPercent").requiredDecimal("write a percentage, e.g. 2");
      PromDuration longWindow =
          t.get("longWindow").parse(PromDuration::parsePositive, null, "write a window, e.g. 1h");
      PromDuration shortWindow =
          t.get("shortWindow").parse(PromDuration::parsePositive, null, "write a window, e.g. 5m");
      PromDuration forDuration =
          t.get("for").parse(PromDuration::parse, AlertPolicy.NO_FOR, "write a duration, e.g. 0s");
      BigDecimal factor = t.get("factor").decimal(null, "write the burn-rate factor, e.g. 14.4");
      if (name == null
          || severity == null
          || percent == null
          || longWindow == null
          || shortWindow == null
          || forDuration == null) {
        complete = false;
        continue;
      }
      tiers.add(
          new AlertTier(
              name,
              severity,
              percent,
              longWindow,
              shortWindow,
              forDuration,
              Boolean.parseBoolean(t.get("enabled").text("true")),
              factor));
    }
    return complete ? new AlertPolicy(tiers, minEvents.longValue(), absentFor, exhaustedFor) : null;
  }

  private BigDecimal objective(SpecNode objectives) {
    List<SpecNode> items = objectives.items();
    if (items.size() != 1) {
      objectives.problem(
          items.isEmpty()
              ? "is required"
              : "holds " + items.size() + " objectives; vigil supports one per SLO",
          "write one objective with target: 0.999 (or targetPercent: 99.9); split the others into their own SLOs");
      return null;
    }
    SpecNode o = items.get(0);
    if (!o.get("op").absent() || !o.get("value").absent()) {
      o.problem(
          "threshold objectives (op/value) are not supported",
          "use a ratioMetric indicator with target: 0.999");
      return null;
    }
    if (!o.get("targetPercent").absent()) {
      return o.get("targetPercent").decimal(null, "write a percentage such as 99.9");
    }
    BigDecimal target =
        o.get("target").requiredDecimal("write target: 0.999 (a ratio) or targetPercent: 99.9");
    return target == null ? null : BudgetMath.plain(target.multiply(BigDecimal.valueOf(100)));
  }

  private Period period(SpecNode timeWindow) {
    List<SpecNode> items = timeWindow.items();
    if (items.size() != 1) {
      timeWindow.problem(
          "needs exactly one time window", "write timeWindow: [{duration: 28d, isRolling: true}]");
      return null;
    }
    SpecNode w = items.get(0);
    String duration =
        w.get("duration").requiredText("write duration: 28d (rolling) or 1M / 1Q (calendar)");
    if (duration == null) {
      return null;
    }
    boolean rolling = Boolean.parseBoolean(w.get("isRolling").text("false"));
    if (rolling && duration.matches("\\d+[MQY]")) {
      w.get("duration")
          .problem(
              "'"
                  + duration
                  + "' is a calendar unit (M = month, Q = quarter, Y = year; m alone is minutes), "
                  + "and calendar units cannot roll",
              "write a rolling window in days, e.g. 30d or 28d, or isRolling: false for the calendar month");
      return null;
    }
    if (rolling) {
      PromDuration d =
          w.get("duration")
              .parse(
                  PromDuration::parsePositive,
                  null,
                  "write a rolling window in m, h, d or w, e.g. 28d");
      return d == null ? null : Period.rolling(d);
    }
    String unit =
        switch (duration) {
          case "1M" -> "month";
          case "1Q" -> "quarter";
          default -> null;
        };
    if (unit == null) {
      w.get("duration")
          .problem(
              "calendar window '" + duration + "' is not supported",
              "use 1M (month) or 1Q (quarter), or isRolling: true");
      return null;
    }
    ZoneId zone =
        w.get("calendar")
            .get("timeZone")
            .parse(
                Period::zone, ZoneId.of("UTC"), "write an IANA time zone such as America/New_York");
    if (zone == null) {
      return null;
    }
    Period calendar = Period.calendar(unit, zone);
    SpecNode startTime = w.get("calendar").get("startTime");
    if (!startTime.absent()) {
      // OpenSLO writes "2022-01-01 12:00:00" in the calendar's time zone. vigil's calendar periods
      // start at the first midnight of each month or quarter; a startTime on such a midnight means
      // the same periods, anything else would be silently ignored, so it is refused.
      java.time.LocalDateTime start;
      try {
        start =
            java.time.LocalDateTime.parse(
                startTime.text("").strip().replace(' ', 'T'),
                java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      } catch (java.time.format.DateTimeParseException e) {
        startTime.problem(
            "'" + startTime.text("") + "' is not a date and time",
            "write startTime: \"2022-01-01 00:00:00\" (in the calendar's time zone)");
        return null;
      }
      java.time.ZonedDateTime at = start.atZone(zone);
      if (!calendar.start(at.toInstant()).equals(at.toInstant())) {
        startTime.problem(
            "vigil's "
                + unit
                + "ly periods start at the first midnight of each "
                + unit
                + " in the time zone; "
                + startTime.text("")
                + " is not one, and the periods would not start when you expect",
            "write a startTime on the first day of a "
                + unit
                + " at 00:00:00, e.g. \"2022-01-01 00:00:00\", or use a rolling window");
        return null;
      }
    }
    return calendar;
  }

  /**
   * Timeslices and RatioTimeslices onto vigil's time slice SLI: the slice's value is the
   * indicator's ratio over {@code timeSliceWindow} (a {@code raw} ratio as written, or good/total,
   * or 1 - bad/total); Timeslices judges it against {@code timeSliceTarget}, RatioTimeslices counts
   * it as it is.
   */
  private Sli timeslices(
      SpecNode spec, Map<String, SpecNode> refs, String method, String service, String name) {
    List<SpecNode> objectives = spec.get("objectives").items();
    if (objectives.size() != 1) {
      return null; // objective() has said why
    }
    SpecNode o = objectives.get(0);
    PromDuration window =
        o.get("timeSliceWindow")
            .parse(PromDuration::parsePositive, null, "write the slice length, e.g. 1m");
    if (o.get("timeSliceWindow").absent()) {
      o.get("timeSliceWindow")
          .problem("is required for " + method + " budgeting", "write timeSliceWindow: 1m");
    }
    BigDecimal target = null;
    if (method.equals(Sli.Timeslices.TIMESLICES)) {
      target =
          o.get("timeSliceTarget")
              .requiredDecimal(
                  "write the least good ratio of a good slice, e.g. timeSliceTarget: 0.75");
    } else if (!o.get("timeSliceTarget").absent()) {
      o.get("timeSliceTarget")
          .problem(
              "RatioTimeslices counts each slice as its ratio and has no slice target",
              "remove timeSliceTarget, or write budgetingMethod: Timeslices");
      return null;
    }
    SpecNode ispec = indicatorSpec(spec, refs);
    if (ispec == null) {
      return null;
    }
    SpecNode ratio = ispec.get("ratioMetric");
    String good;
    if (!ratio.get("raw").absent()) {
      String raw = rawQuery(ratio.get("raw"));
      String type = ratio.get("rawType").text("success");
      if (raw == null) {
        return null;
      }
      if (!type.equals("success") && !type.equals("failure")) {
        ratio
            .get("rawType")
            .problem("'" + type + "' is not a raw ratio type", "write rawType: success or failure");
        return null;
      }
      good = type.equals("success") ? raw : "1 - (" + raw + ")";
    } else {
      Sli events = indicator(spec, refs, false);
      if (!(events instanceof Sli.Events e)) {
        return null;
      }
      good =
          e.good() != null
              ? "(" + e.good() + ") / (" + e.total() + ")"
              : "1 - (" + e.bad() + ") / (" + e.total() + ")";
    }
    if ((target == null && method.equals(Sli.Timeslices.TIMESLICES))
        || window == null
        || service == null
        || name == null) {
      return null;
    }
    return new Sli.Timeslices(good, window, target, Sli.Timeslices.verdictsOf(service, name));
  }

  /**
   * A raw ratio's query: as written when it holds {@code {{window}}}, a bare selector of a 0/1
   * gauge (probe_success, up) averaged over the slice.
   */
  private String rawQuery(SpecNode raw) {
    String q = query(raw, false);
    if (q == null) {
      return null;
    }
    return q.contains(Sli.WINDOW) ? q : "avg_over_time(" + q + "[" + Sli.WINDOW + "])";
  }

  /** The indicator's spec node, inline or by indicatorRef; null (with a problem) when missing. */
  private SpecNode indicatorSpec(SpecNode spec, Map<String, SpecNode> refs) {
    SpecNode indicator = spec.get("indicator");
    if (indicator.absent()) {
      String ref =
          spec.get("indicatorRef")
              .requiredText(
                  "write indicator: {...} inline or indicatorRef: <name of an SLI document>");
      if (ref == null) {
        return null;
      }
      indicator = refs.get("SLI/" + ref);
      referenced.add("SLI/" + ref);
      if (indicator == null) {
        spec.get("indicatorRef")
            .problem(
                "no SLI named '" + ref + "' in this file",
                "add a kind: SLI document with metadata.name: " + ref);
        return null;
      }
    }
    return indicator.get("spec");
  }

  /**
   * @param occurrences true for Occurrences budgeting (only then is a {@code raw} ratio refused)
   */
  private Sli indicator(SpecNode spec, Map<String, SpecNode> refs, boolean occurrences) {
    SpecNode ispec = indicatorSpec(spec, refs);
    return ispec == null ? null : events(ispec, occurrences);
  }

  /**
   * @param ispec an indicator's spec node
   * @param occurrences true for Occurrences budgeting (only then is a {@code raw} ratio refused)
   * @return the events SLI, or null with problems
   */
  private Sli events(SpecNode ispec, boolean occurrences) {
    if (!ispec.get("thresholdMetric").absent()) {
      ispec
          .get("thresholdMetric")
          .problem(
              "thresholdMetric indicators are not supported",
              "use ratioMetric with good (or bad) and total counters");
      return null;
    }
    SpecNode ratio = ispec.get("ratioMetric");
    if (ratio.absent()) {
      ispec.problem(
          "needs ratioMetric",
          "write ratioMetric: {counter: true, good|bad: {metricSource: ...}, total: {...}}");
      return null;
    }
    if (occurrences && !ratio.get("raw").absent()) {
      ratio
          .get("raw")
          .problem(
              "a raw (precomputed) ratio cannot be counted as events",
              "use budgetingMethod: Timeslices or RatioTimeslices with timeSliceWindow, or good|bad"
                  + " and total counters");
      return null;
    }
    String total = query(ratio.get("total"), true);
    String good = ratio.get("good").absent() ? null : query(ratio.get("good"), true);
    String bad = ratio.get("bad").absent() ? null : query(ratio.get("bad"), true);
    if ((good == null) == (bad == null)) {
      if (ratio.get("good").absent() == ratio.get("bad").absent()) {
        ratio.problem(
            "needs exactly one of good or bad",
            "write good: {metricSource: ...} or bad: {metricSource: ...}");
      }
      return null;
    }
    return total == null ? null : new Sli.Events(bad, good, total);
  }

  /**
   * @param counter true when a bare selector is a counter (then {@code
   *     sum(rate(sel[{{window}}]))}), false to return it as written
   */
  private String query(SpecNode metric, boolean counter) {
    SpecNode source = metric.get("metricSource");
    String type = source.get("type").text("Prometheus");
    if (!type.toLowerCase(Locale.ROOT).equals("prometheus")) {
      source
          .get("type")
          .problem("metric source '" + type + "' is not supported", "use type: Prometheus");
      return null;
    }
    String q =
        source
            .get("spec")
            .get("query")
            .requiredText("write the PromQL query under metricSource.spec.query");
    if (q == null) {
      return null;
    }
    q = q.strip();
    if (q.equalsIgnoreCase("any")) {
      // OpenSLO examples write `query: Any` as a placeholder: read literally it is good = total
      source
          .get("spec")
          .get("query")
          .problem(
              "'"
                  + q
                  + "' is a placeholder, not a query (read as PromQL the SLI would always be 0%"
                  + " errors)",
              "write the PromQL counter selector, e.g. http_requests_total{service=\"x\"}");
      return null;
    }
    if (q.contains("{{window}}") || (!counter && BARE_SELECTOR.matcher(q).matches())) {
      return q;
    }
    if (BARE_SELECTOR.matcher(q).matches()) {
      return "sum(rate(" + q + "[{{window}}]))";
    }
    source
        .get("spec")
        .get("query")
        .problem(
            "a query that is not a bare counter selector must contain {{window}}",
            "write a counter selector like http_requests_total{service=\"x\"} or sum(rate(...[{{window}}]))");
    return null;
  }

  /**
   * Reads an AlertPolicy's conditions (inline or by conditionRef) into tiers.
   *
   * @return false when a condition has a problem (recorded)
   */
  private boolean conditions(
      SpecNode policy, Map<String, SpecNode> refs, Period period, List<AlertTier> tiers) {
    for (SpecNode c : policy.get("spec").get("conditions").items()) {
      SpecNode condition = c;
      String cref = c.get("conditionRef").text(null);
      if (cref != null) {
        condition = refs.get("AlertCondition/" + cref);
        referenced.add("AlertCondition/" + cref);
        if (condition == null) {
          c.problem(
              "no AlertCondition named '" + cref + "' in this file",
              "add a kind: AlertCondition document with metadata.name: " + cref);
          return false;
        }
      }
      AlertTier tier = tier(condition, period);
      if (tier == null) {
        return false;
      }
      tiers.add(tier);
    }
    return true;
  }

  private AlertPolicy alerting(SpecNode policies, Map<String, SpecNode> refs, Period period) {
    AlertPolicy defaults = AlertPolicy.workbook();
    if (policies.absent()) {
      return defaults;
    }
    List<AlertTier> tiers = new ArrayList<>();
    for (SpecNode p : policies.items()) {
      SpecNode policy = p;
      String ref = p.node().isTextual() ? p.node().asText() : p.get("alertPolicyRef").text(null);
      if (ref != null) {
        policy = refs.get("AlertPolicy/" + ref);
        referenced.add("AlertPolicy/" + ref);
        if (policy == null) {
          p.problem(
              "no AlertPolicy named '" + ref + "' in this file",
              "add a kind: AlertPolicy document with metadata.name: " + ref);
          return null;
        }
      }
      if (!conditions(policy, refs, period, tiers)) {
        return null;
      }
    }
    return tiers.isEmpty()
        ? defaults
        : new AlertPolicy(
            tiers, defaults.minEvents(), defaults.absentFor(), defaults.exhaustedFor());
  }

  private AlertTier tier(SpecNode condition, Period period) {
    String name = condition.get("metadata").get("name").text("condition");
    SpecNode spec = condition.get("spec");
    String severity =
        switch (spec.get("severity").text("page").toLowerCase(Locale.ROOT)) {
          case "page", "critical" -> AlertTier.PAGE;
          case "ticket", "warning" -> AlertTier.TICKET;
          default -> null;
        };
    if (severity == null) {
      spec.get("severity")
          .problem(
              "'" + spec.get("severity").text("") + "' is not a severity vigil routes",
              "write severity: page (critical) or ticket (warning)");
      return null;
    }
    SpecNode c = spec.get("condition");
    if (!c.get("kind").text("burnrate").equals("burnrate")) {
      c.get("kind").problem("only burnrate conditions are supported", "write kind: burnrate");
      return null;
    }
    String op = c.get("op").text("gt");
    if (!op.equals("gt") && !op.equals("gte")) {
      c.get("op").problem("'" + op + "' would alert when the budget burns slowly", "write op: gt");
      return null;
    }
    BigDecimal factor =
        c.get("threshold").requiredDecimal("write the burn-rate factor, e.g. threshold: 14.4");
    PromDuration lookback =
        c.get("lookbackWindow")
            .parse(PromDuration::parsePositive, null, "write a window such as 1h");
    if (c.get("lookbackWindow").absent()) {
      c.get("lookbackWindow").problem("is required", "write lookbackWindow: 1h");
    }
    PromDuration alertAfter =
        c.get("alertAfter")
            .parse(PromDuration::parse, AlertPolicy.NO_FOR, "write a duration such as 5m");
    if (factor == null || lookback == null || alertAfter == null) {
      return null;
    }
    BigDecimal percent =
        factor
            .multiply(BigDecimal.valueOf(100 * lookback.seconds()))
            .divide(BigDecimal.valueOf(period.ruleWindow().seconds()), MathContext.DECIMAL64);
    PromDuration shortWindow = PromDuration.ofSeconds(Math.max(60, lookback.seconds() / 12));
    return new AlertTier(
        name, severity, BudgetMath.plain(percent), lookback, shortWindow, alertAfter, true, factor);
  }
}
