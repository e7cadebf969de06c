package dev.vigil.slo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vigil.prometheus.PromDuration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a catalogue of alert windows: the burn-rate tiers as data, one YAML file beside this class
 * (as Sloth keeps its windows), so that the tiers are read and reviewed as a table rather than as
 * constructor calls. Each tier has a {@code name}, a {@code severity} ({@value AlertTier#PAGE} or
 * {@value AlertTier#TICKET}), a {@code budgetPercent} and a {@code longWindow} and {@code
 * shortWindow}; every tier is enabled, without {@code for}, and its factor is derived from the
 * SLO's period ({@link AlertTier#factor}).
 */
public final class WindowsCatalogue {

  private WindowsCatalogue() {}

  /**
   * Reads a catalogue from the class path, next to this class.
   *
   * @param resource the file's name, e.g. {@value AlertPolicy#WORKBOOK_WINDOWS}
   * @return the tiers in the file's order
   * @throws IllegalStateException when the resource is missing or a tier is malformed (a packaging
   *     error, not a user's: the message names the resource, the tier and the field)
   */
  public static List<AlertTier> load(String resource) {
    try (InputStream in = WindowsCatalogue.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("alert windows catalogue " + resource + " is missing");
      }
      return parse(new YAMLMapper().readTree(in), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read alert windows catalogue " + resource, e);
    }
  }

  private static List<AlertTier> parse(JsonNode root, String resource) {
    List<AlertTier> tiers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode tier : root.path("tiers")) {
      String name = text(tier, "name", resource, "?");
      String severity = text(tier, "severity", resource, name);
      if (!severity.equals(AlertTier.PAGE) && !severity.equals(AlertTier.TICKET)) {
        throw malformed(resource, name, "severity", "critical or warning");
      }
      if (!names.add(name)) {
        throw malformed(resource, name, "name", "a name no other tier has");
      }
      BigDecimal budget = new BigDecimal(text(tier, "budgetPercent", resource, name));
      PromDuration longWindow = PromDuration.parse(text(tier, "longWindow", resource, name));
      PromDuration shortWindow = PromDuration.parse(text(tier, "shortWindow", resource, name));
      if (shortWindow.compareTo(longWindow) >= 0) {
        throw malformed(resource, name, "shortWindow", "shorter than longWindow");
      }
      tiers.add(
          new AlertTier(
              name, severity, budget, longWindow, shortWindow, AlertPolicy.NO_FOR, true, null));
    }
    if (tiers.isEmpty()) {
      throw new IllegalStateException("alert windows catalogue " + resource + " has no tiers");
    }
    return List.copyOf(tiers);
  }

  private static String text(JsonNode tier, String field, String resource, String name) {
    JsonNode value = tier.path(field);
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw malformed(resource, name, field, "a value");
    }
    return value.asText();
  }

  private static IllegalStateException malformed(
      String resource, String tier, String field, String expected) {
    return new IllegalStateException(
        "alert windows catalogue "
            + resource
            + ", tier "
            + tier
            + ": "
            + field
            + " must be "
            + expected);
  }
}
