package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the console's time-series charts annotate, as Grafana's annotations: the injected faults
 * (each run of samples in which {@code vigil_fault_active{fault,service}} was 1 in Prometheus) and
 * the drills (each drill report under the state directory's {@code drills/}: its fault from {@code
 * faultAt} to {@code faultClearedAt}, or its {@code endedAt} when it stopped before). A report that
 * cannot be read is skipped: annotations are an extra, never a reason for a chart to fail.
 */
final class Annotations {

  /** The query of the faults: one series per fault and service, 1 while the fault is active. */
  static final String FAULTS = "max by (fault, service) (vigil_fault_active)";

  /** The most steps a fault query asks for: Prometheus refuses more than 11,000 points. */
  static final int MAX_STEPS = 2000;

  /** The stack's scrape interval: finer steps than this find nothing more. */
  static final double MIN_STEP_SECONDS = 15;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrometheusClient prometheus;
  private final Path drills;

  /**
   * @param prometheus where {@code vigil_fault_active} is scraped
   * @param drills the directory of drill reports ({@code .vigil/drills})
   */
  Annotations(PrometheusClient prometheus, Path drills) {
    this.prometheus = prometheus;
    this.drills = drills;
  }

  /**
   * The faults and drills that overlap {@code [start, end]}, oldest first.
   *
   * @param start start of the range
   * @param end end of the range, after {@code start}
   * @return {@code [{kind: fault|drill, name, service, start, end, ongoing}]}, times in epoch
   *     seconds; a fault still active at {@code end}, or a drill without {@code faultClearedAt}, is
   *     {@code ongoing} and ends at {@code end}
   * @throws ProblemException 502 when Prometheus does not answer
   */
  List<Map<String, Object>> between(Instant start, Instant end) {
    List<Map<String, Object>> out = new ArrayList<>();
    double span = Math.max(1, end.getEpochSecond() - start.getEpochSecond());
    double step = Math.max(MIN_STEP_SECONDS, Math.ceil(span / MAX_STEPS));
    try {
      for (PrometheusClient.RangeSeries s : prometheus.range(FAULTS, start, end, step)) {
        String fault = s.labels().getOrDefault("fault", "fault");
        String service = s.labels().getOrDefault("service", "");
        Double from = null;
        double last = 0;
        for (PrometheusClient.Point p : s.points()) {
          if (p.value() >= 1) {
            from = from == null ? p.epochSeconds() : from;
            last = p.epochSeconds();
          } else if (from != null) {
            out.add(annotation("fault", fault, service, from, p.epochSeconds(), false));
            from = null;
          }
        }
        if (from != null) {
          boolean ongoing = last >= end.getEpochSecond() - step;
          out.add(
              annotation(
                  "fault", fault, service, from, ongoing ? end.getEpochSecond() : last, ongoing));
        }
      }
    } catch (IOException e) {
      throw new ProblemException(Problem.of(502, e.getMessage()));
    }
    out.addAll(drills(start, end));
    out.sort(Comparator.comparingDouble(a -> (Double) a.get("start")));
    return out;
  }

  /** The drill reports whose fault overlaps the range. */
  private List<Map<String, Object>> drills(Instant start, Instant end) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!Files.isDirectory(drills)) {
      return out;
    }
    List<Path> reports;
    try (Stream<Path> files = Files.list(drills)) {
      reports = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      return out;
    }
    for (Path report : reports) {
      try {
        JsonNode root = JSON.readTree(report.toFile());
        Instant faultAt = instant(root.path("faultAt"));
        if (faultAt == null || faultAt.isAfter(end)) {
          continue;
        }
        // a drill that stopped before clearing its fault: its end
        Instant cleared = instant(root.path("faultClearedAt"));
        cleared = cleared == null ? instant(root.path("endedAt")) : cleared;
        if (cleared != null && cleared.isBefore(start)) {
          continue;
        }
        boolean ongoing = cleared == null;
        out.add(
            annotation(
                "drill",
                root.path("drill").asText(report.getFileName().toString()),
                "",
                faultAt.toEpochMilli() / 1000.0,
                (ongoing ? end : cleared).toEpochMilli() / 1000.0,
                ongoing));
      } catch (IOException | DateTimeParseException e) {
        // not a drill report vigil wrote: no annotation
      }
    }
    return out;
  }

  private static Instant instant(JsonNode node) {
    return node.isTextual() ? Instant.parse(node.asText()) : null;
  }

  private static Map<String, Object> annotation(
      String kind, String name, String service, double start, double end, boolean ongoing) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("name", service.isEmpty() ? name : name + " (" + service + ")");
    m.put("service", service);
    m.put("start", start);
    m.put("end", end);
    m.put("ongoing", ongoing);
    return m;
  }
}
