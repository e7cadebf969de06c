package dev.vigil.slo.spec;

import dev.vigil.prometheus.PromDuration;
import dev.vigil.slo.model.AlertPolicy;
import dev.vigil.slo.model.AlertTier;
import dev.vigil.slo.model.Period;
import dev.vigil.slo.model.Sli;
import dev.vigil.slo.model.Slo;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Sloth's {@code prometheus/v1} specs (https://github.com/slok/sloth): {@code sli.events}
 * with {@code error_query} and {@code total_query} ({@code {{.window}}} becomes {@code
 * {{window}}}), labels, and the page/ticket alerts' {@code disable} switches. The period is Sloth's
 * default, 30d.
 *
 * <p>Not supported, with a problem: {@code sli.raw} (a ratio cannot be turned into event counts,
 * which the event-weighted period ratio needs) and {@code sli.plugin}. Sloth's alert names, labels
 * and annotations are not copied: vigil generates its own alerts with the severities the routing
 * expects. Both the assumed period and every dropped alert field are reported as {@link Note}s.
 * Unknown keys are refused with a did-you-mean.
 */
final class SlothFormat {

  List<Slo> read(SpecNode doc, List<Note> notes) {
    List<Slo> out = new ArrayList<>();
    doc.allowOnly("version", "service", "labels", "slos");
    if (!doc.get("slos").absent()) {
      notes.add(
          new Note(
              doc.file(),
              "slos",
              "Sloth specs have no period: vigil assumes Sloth's default, 30d rolling (write the"
                  + " SLOs in vigil/v1 with period: to choose another)"));
    }
    String service = doc.get("service").requiredText("name the service, e.g. service: myservice");
    Map<String, String> labels = doc.get("labels").stringMap();
    for (SpecNode s : doc.get("slos").items()) {
      s.allowOnly("name", "objective", "description", "labels", "sli", "alerting");
      s.get("sli").allowOnly("events", "raw", "plugin");
      s.get("sli").get("events").allowOnly("error_query", "total_query");
      SpecNode alerting = s.get("alerting");
      alerting.allowOnly("name", "labels", "annotations", "page_alert", "ticket_alert");
      for (String tier : List.of("page_alert", "ticket_alert")) {
        alerting.get(tier).allowOnly("disable", "labels", "annotations");
      }
      noteDropped(alerting, notes);
      String name = s.get("name").requiredText("name the SLO, e.g. requests-availability");
      BigDecimal objective =
          s.get("objective").requiredDecimal("write the objective in percent, e.g. 99.9");
      SpecNode sli = s.get("sli");
      Sli events = null;
      if (!sli.get("raw").absent()) {
        sli.get("raw")
            .problem(
                "sli.raw is not supported: vigil needs event counts for its event-weighted period ratio",
                "rewrite it as sli.events with error_query and total_query");
      } else if (!sli.get("plugin").absent()) {
        sli.get("plugin")
            .problem(
                "sli.plugin is not supported",
                "rewrite it as sli.events with error_query and total_query");
      } else {
        String error =
            sli.get("events")
                .get("error_query")
                .requiredText("write PromQL for bad events per second with [{{.window}}]");
        String total =
            sli.get("events")
                .get("total_query")
                .requiredText("write PromQL for all events per second with [{{.window}}]");
        if (error != null && total != null) {
          events = new Sli.Events(window(error), null, window(total));
        }
      }
      Map<String, String> sloLabels = new LinkedHashMap<>(labels);
      sloLabels.putAll(s.get("labels").stringMap());
      boolean pageDisabled =
          Boolean.parseBoolean(s.get("alerting").get("page_alert").get("disable").text("false"));
      boolean ticketDisabled =
          Boolean.parseBoolean(s.get("alerting").get("ticket_alert").get("disable").text("false"));
      AlertPolicy workbook = AlertPolicy.workbook();
      List<AlertTier> tiers =
          workbook.tiers().stream()
              .map(t -> t.withEnabled(t.pages() ? !pageDisabled : !ticketDisabled))
              .toList();
      if (service != null && name != null && objective != null && events != null) {
        out.add(
            new Slo(
                doc.file(),
                s.path(),
                service,
                name,
                s.get("description").text(""),
                objective,
                Period.rolling(PromDuration.parse("30d")),
                events,
                new AlertPolicy(
                    tiers, workbook.minEvents(), workbook.absentFor(), workbook.exhaustedFor()),
                sloLabels));
      }
    }
    return out;
  }

  /** A note for each Sloth alert field vigil does not copy. */
  private static void noteDropped(SpecNode alerting, List<Note> notes) {
    String alerts =
        "vigil's alerts are SloBurnRatePage (severity page) and SloBurnRateTicket (severity"
            + " ticket), routed by deploy/alertmanager; add routing labels and annotations there";
    if (!alerting.get("name").absent()) {
      notes.add(
          new Note(
              alerting.file(),
              alerting.get("name").path(),
              "Sloth's alert name '" + alerting.get("name").text("") + "' is not used: " + alerts));
    }
    for (SpecNode n :
        List.of(
            alerting.get("labels"),
            alerting.get("annotations"),
            alerting.get("page_alert").get("labels"),
            alerting.get("page_alert").get("annotations"),
            alerting.get("ticket_alert").get("labels"),
            alerting.get("ticket_alert").get("annotations"))) {
      if (!n.absent()) {
        notes.add(
            new Note(
                n.file(),
                n.path(),
                String.join(", ", n.stringMap().keySet()) + " not copied: " + alerts));
      }
    }
  }

  private static String window(String query) {
    return query.replace("{{.window}}", Sli.WINDOW);
  }
}
