package dev.vigil.slo.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PrometheusClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A known incident a backtest scores the alerts against: from a file, or from the history itself
 * (the windows in which {@code vigil_fault_active} was 1, i.e. drills and injected faults).
 *
 * @param name what it was, e.g. {@code server-error-burst (catalog)}
 * @param start when it began
 * @param end when it ended, not before {@code start}
 * @param slos the names of the SLOs whose budget it burned, or null when it may concern every SLO
 *     (a file that does not say, an injected fault). A drill report names the SLOs the drill
 *     expected to burn or saw burn, never one it expected not to (e.g. the client-error flood and
 *     availability): an alert of another SLO during it is a false positive, and it is no incident
 *     of theirs to detect
 */
public record Incident(String name, Instant start, Instant end, Set<String> slos) {

  /** Copies {@code slos}. */
  public Incident {
    slos = slos == null ? null : Set.copyOf(slos);
  }

  /**
   * An incident that may concern every SLO.
   *
   * @param name what it was
   * @param start when it began
   * @param end when it ended
   */
  public Incident(String name, Instant start, Instant end) {
    this(name, start, end, null);
  }

  /**
   * @param slo an SLO's name, e.g. {@code availability}
   * @return whether this incident concerns that SLO's budget
   */
  public boolean concerns(String slo) {
    return slos == null || slos.contains(slo);
  }

  /**
   * Reads incidents from a file or a directory: a YAML (or JSON) list of {@code {name, start, end,
   * slos}} with ISO-8601 instants ({@code slos}, optional, names the SLOs whose budget it burned),
   * at the top or under {@code incidents:}; or a drill report ({@code vigil drill}'s JSON: the
   * fault from {@code faultAt} to {@code faultClearedAt}, named after the drill, concerning the
   * SLOs whose budget it expected to burn or saw consumed, less those it expected not to burn); or
   * a directory of drill reports ({@code .vigil/drills}).
   *
   * @param file the file or directory
   * @return the incidents, oldest first
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file, the entry and the field that is wrong
   */
  public static List<Incident> read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      List<Incident> out = new ArrayList<>();
      try (Stream<Path> files = Files.list(file)) {
        for (Path report : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          out.addAll(read(report));
        }
      }
      out.sort(Comparator.comparing(Incident::start));
      return out;
    }
    JsonNode root = new YAMLMapper().readTree(file.toFile());
    if (root != null && root.has("drill") && root.has("faultAt")) {
      Instant start = instant(file, 0, root, "faultAt");
      Instant end = instant(file, 0, root, "faultClearedAt");
      Set<String> burned = new TreeSet<>();
      for (JsonNode budget : root.path("budgets")) {
        JsonNode expect = budget.path("expectBurns");
        boolean consumed = budget.path("consumed").asDouble(0) > 0;
        if (expect.isBoolean() ? expect.asBoolean() : consumed) {
          burned.add(budget.path("slo").asText());
        }
      }
      return List.of(new Incident(root.get("drill").asText() + " (drill)", start, end, burned));
    }
    JsonNode list = root != null && root.has("incidents") ? root.get("incidents") : root;
    if (list == null || !list.isArray()) {
      throw new IllegalArgumentException(
          file
              + ": expected a list of incidents {name, start, end, slos}, at the top or under"
              + " incidents:, or a drill report (vigil drill's JSON)");
    }
    List<Incident> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      Instant start = instant(file, i, entry, "start");
      Instant end = instant(file, i, entry, "end");
      if (end.isBefore(start)) {
        throw new IllegalArgumentException(
            file + ": incident " + (i + 1) + ": end " + end + " is before start " + start);
      }
      Set<String> slos = null;
      if (entry.has("slos")) {
        slos = new TreeSet<>();
        for (JsonNode slo : entry.get("slos")) {
          slos.add(slo.asText());
        }
      }
      out.add(new Incident(entry.path("name").asText("incident " + (i + 1)), start, end, slos));
    }
    out.sort(Comparator.comparing(Incident::start));
    return out;
  }

  private static Instant instant(Path file, int index, JsonNode entry, String field) {
    String text = entry.path(field).asText("");
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          file
              + ": incident "
              + (index + 1)
              + ": "
              + field
              + " '"
              + text
              + "' is not an ISO-8601 instant. Fix: write it like 2026-12-07T13:05:00Z");
    }
  }

  /**
   * The injected faults in the history: each run of minutes in which {@code
   * vigil_fault_active{fault,service}} was 1 (sampled every 15 s).
   *
   * @param source the history's store
   * @param from start of the range
   * @param to end of the range
   * @return the incidents, oldest first; empty when no fault was injected
   * @throws IOException when the store fails
   */
  public static List<Incident> fromFaults(PrometheusClient source, Instant from, Instant to)
      throws IOException {
    List<Incident> out = new ArrayList<>();
    for (PrometheusClient.RangeSeries series :
        source.range("max by (fault, service) (vigil_fault_active)", from, to, 15)) {
      String name =
          series.labels().getOrDefault("fault", "fault")
              + " ("
              + series.labels().getOrDefault("service", "?")
              + ")";
      Instant start = null;
      Instant last = null;
      for (PrometheusClient.Point p : series.points()) {
        Instant t = Instant.ofEpochMilli(Math.round(p.epochSeconds() * 1000));
        if (p.value() >= 1) {
          start = start == null ? t : start;
          last = t;
        } else if (start != null) {
          out.add(new Incident(name, start, t));
          start = null;
        }
      }
      if (start != null) {
        out.add(new Incident(name, start, last));
      }
    }
    out.sort(Comparator.comparing(Incident::start));
    return out;
  }
}
