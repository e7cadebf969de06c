package dev.vigil.slo.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes SLOs as OpenSLO {@code openslo/v1} documents (https://github.com/OpenSLO/OpenSLO), one
 * {@code kind: SLO} document each with its indicator and alert policy inline, which {@link
 * SpecReader} reads back into the same {@link Slo} (apart from the file and field path it came
 * from).
 *
 * <p>Written in OpenSLO's own terms: the objective as {@code targetPercent}, rolling periods as
 * {@code timeWindow} {@code 30d} rolling and calendar ones as {@code 1M} / {@code 1Q} with their
 * time zone, events as {@code ratioMetric} good or bad plus total ({@code Occurrences}), time slice
 * SLIs as a {@code raw} success ratio with {@code Timeslices} (plus {@code timeSliceTarget}) or
 * {@code RatioTimeslices}, a latency SLI as its threshold bucket (good) over its {@code _count}
 * (total), labels as {@code metadata.labels}, and each enabled tier as a {@code burnrate}
 * AlertCondition (threshold = burn-rate factor over the tier's long window, {@code alertAfter} =
 * its {@code for}). What OpenSLO cannot say is kept in {@code metadata.annotations} under {@link
 * #ANNOTATION_PREFIX}: the latency SLI's histogram and threshold ({@link #LATENCY}), and the whole
 * alerting policy ({@link #ALERTING}: short windows, budget shares, disabled tiers, minimum events,
 * the absent and exhausted {@code for}s). Other OpenSLO tools ignore the annotations and still read
 * a complete SLO.
 */
public final class OpenSloWriter {

  /** The prefix of vigil's annotations. */
  public static final String ANNOTATION_PREFIX = "vigil.dev/";

  /**
   * Annotation holding a latency SLI as JSON: {@code {"metric":"...","selector":{...},
   * "threshold":"0.5"}}.
   */
  public static final String LATENCY = ANNOTATION_PREFIX + "latency";

  /**
   * Annotation holding the alerting policy as JSON: {@code {"minEvents":10,"absentFor":"10m",
   * "exhaustedFor":"5m","tiers":[{"name":...,"severity":...,"budgetPercent":"2",
   * "longWindow":"1h","shortWindow":"5m","for":"0s","enabled":true,"factor":null}]}}.
   */
  public static final String ALERTING = ANNOTATION_PREFIX + "alerting";

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  /**
   * @param slos SLOs read from any format (valid ones: see {@code SloValidator})
   * @return a YAML stream of {@code openslo/v1} SLO documents, each starting with {@code ---}
   */
  public String write(List<Slo> slos) {
    StringBuilder out = new StringBuilder();
    for (Slo slo : slos) {
      try {
        out.append(YAML.writeValueAsString(document(slo)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString();
  }

  /**
   * @param slo one SLO
   * @return its OpenSLO SLO document as maps and lists
   */
  Map<String, Object> document(Slo slo) {
    Map<String, Object> annotations = new LinkedHashMap<>();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("description", slo.description());
    spec.put("service", slo.service());
    Map<String, Object> objective = new LinkedHashMap<>();
    objective.put("targetPercent", slo.objectivePercent());
    String budgeting = "Occurrences";
    Map<String, Object> ratio = new LinkedHashMap<>();
    switch (slo.sli()) {
      case Sli.Events e -> {
        ratio.put("counter", true);
        if (e.bad() != null) {
          ratio.put("bad", metric(e.bad()));
        } else {
          ratio.put("good", metric(e.good()));
        }
        ratio.put("total", metric(e.total()));
      }
      case Sli.Latency l -> {
        ratio.put("counter", true);
        ratio.put("good", metric("sum(rate(" + l.fastBucketSeries() + "[" + Sli.WINDOW + "]))"));
        ratio.put("total", metric("sum(rate(" + l.countSeries() + "[" + Sli.WINDOW + "]))"));
        annotations.put(LATENCY, json(latency(l)));
      }
      case Sli.Timeslices t -> {
        budgeting = t.budgetingMethod();
        ratio.put("raw", metric(t.good()));
        ratio.put("rawType", "success");
        if (t.target() != null) {
          objective.put("timeSliceTarget", t.target());
        }
        objective.put("timeSliceWindow", t.slice().toString());
      }
    }
    spec.put(
        "indicator",
        ordered("metadata", ordered("name", slo.name()), "spec", ordered("ratioMetric", ratio)));
    spec.put("timeWindow", List.of(timeWindow(slo.period())));
    spec.put("budgetingMethod", budgeting);
    spec.put("objectives", List.of(objective));
    List<Object> conditions = new ArrayList<>();
    for (AlertTier t : slo.alerting().enabledTiers()) {
      conditions.add(
          ordered(
              "kind",
              "AlertCondition",
              "metadata",
              ordered("name", t.name()),
              "spec",
              ordered(
                  "severity",
                  t.pages() ? "page" : "ticket",
                  "condition",
                  ordered(
                      "kind",
                      "burnrate",
                      "op",
                      "gt",
                      "threshold",
                      t.factor(slo.period()),
                      "lookbackWindow",
                      t.longWindow().toString(),
                      "alertAfter",
                      t.forDuration().toString()))));
    }
    if (!conditions.isEmpty()) {
      spec.put(
          "alertPolicies",
          List.of(
              ordered(
                  "kind",
                  "AlertPolicy",
                  "metadata",
                  ordered("name", slo.name() + "-burn-rate"),
                  "spec",
                  ordered("conditions", conditions))));
    }
    annotations.put(ALERTING, json(alerting(slo.alerting())));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", slo.name());
    if (!slo.labels().isEmpty()) {
      metadata.put("labels", slo.labels());
    }
    metadata.put("annotations", annotations);
    return ordered("apiVersion", "openslo/v1", "kind", "SLO", "metadata", metadata, "spec", spec);
  }

  private static Map<String, Object> metric(String query) {
    return ordered(
        "metricSource", ordered("type", "Prometheus", "spec", ordered("query", query.strip())));
  }

  private static Map<String, Object> timeWindow(Period period) {
    if (!period.isCalendar()) {
      return ordered("duration", period.rolling().toString(), "isRolling", true);
    }
    return ordered(
        "duration",
        period.calendar().equals("month") ? "1M" : "1Q",
        "isRolling",
        false,
        "calendar",
        ordered("timeZone", period.zone().getId()));
  }

  private static Map<String, Object> latency(Sli.Latency l) {
    return ordered(
        "metric",
        l.metric(),
        "selector",
        l.selector(),
        "threshold",
        l.thresholdSeconds().toString());
  }

  private static Map<String, Object> alerting(AlertPolicy policy) {
    List<Object> tiers = new ArrayList<>();
    for (AlertTier t : policy.tiers()) {
      Map<String, Object> tier = new LinkedHashMap<>();
      tier.put("name", t.name());
      tier.put("severity", t.severity());
      tier.put("budgetPercent", t.budgetPercent().toString());
      tier.put("longWindow", t.longWindow().toString());
      tier.put("shortWindow", t.shortWindow().toString());
      tier.put("for", t.forDuration().toString());
      tier.put("enabled", t.enabled());
      tier.put("factor", t.fixedFactor() == null ? null : t.fixedFactor().toString());
      tiers.add(tier);
    }
    return ordered(
        "minEvents",
        policy.minEvents(),
        "absentFor",
        policy.absentFor().toString(),
        "exhaustedFor",
        policy.exhaustedFor().toString(),
        "tiers",
        tiers);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
