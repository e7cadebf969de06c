package dev.vigil.drills.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.drills.incident.IncidentDraft;
import dev.vigil.drills.incident.IncidentHtml;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.Component;
import dev.vigil.stack.LocalStack;
import dev.vigil.stack.command.StateDirOption;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil incident draft}: a postmortem draft from what the local stack recorded. */
@Command(
    name = "incident",
    mixinStandardHelpOptions = true,
    description = "The incident record: draft a postmortem from what the stack recorded.",
    subcommands = {IncidentCommand.Draft.class})
public final class IncidentCommand implements Callable<Integer> {

  /**
   * Without a subcommand: says which one is needed.
   *
   * @return 2
   */
  @Override
  public Integer call() {
    System.err.println("vigil incident needs a subcommand: draft (vigil incident draft --help)");
    return 2;
  }

  /** The window: a drill report, or two instants. */
  static final class Window {
    @Option(
        names = "--drill",
        paramLabel = "REPORT",
        description = "A drill's JSON report (vigil drill run writes it); the window is its fault")
    Path drill;

    @ArgGroup(exclusive = false)
    Range range;
  }

  /** {@code --from T1 --to T2}. */
  static final class Range {
    @Option(
        names = "--from",
        required = true,
        paramLabel = "T1",
        description = "Start, RFC 3339 UTC, e.g. 2026-12-02T06:00:00Z")
    String from;

    @Option(names = "--to", required = true, paramLabel = "T2", description = "End, RFC 3339 UTC")
    String to;
  }

  /**
   * {@code vigil incident draft (--drill REPORT | --from T1 --to T2) [--format md|html] [--out
   * FILE]}.
   */
  @Command(
      name = "draft",
      mixinStandardHelpOptions = true,
      description =
          "Draft a postmortem (docs/postmortem-template.md's shape) from Prometheus's alert"
              + " history, the receiver's notifications and the fault log.")
  static final class Draft implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Window window;

    @Option(
        names = "--format",
        paramLabel = "md|html",
        defaultValue = "md",
        description =
            "markdown (md, default) or one self-contained HTML file (html: the markdown rendered"
                + " in the shell of vigil slo report --format html)")
    String format;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write the draft here (default: print it)")
    Path out;

    @Option(
        names = "--runbooks",
        paramLabel = "DIR",
        defaultValue = "docs/runbooks",
        description = "The runbook directory (default: ${DEFAULT-VALUE})")
    Path runbooks;

    @Mixin StateDirOption state;

    @Override
    public Integer call() {
      if (!format.equals("md") && !format.equals("html")) {
        System.err.println("--format must be md or html, got '" + format + "'");
        return 2;
      }
      LocalStack stack = state.stack();
      if (stack.state().isEmpty()) {
        System.err.println(
            "no local stack recorded under "
                + stack.layout().root()
                + "; the draft reads its Prometheus and receiver log (./vigil up)");
        return 1;
      }
      String title;
      Instant from;
      Instant to;
      List<IncidentDraft.FaultRecord> faults = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      try {
        if (window.drill != null) {
          JsonNode report = new ObjectMapper().readTree(Files.readString(window.drill));
          if (report == null || !report.hasNonNull("faultAt") || !report.hasNonNull("endedAt")) {
            System.err.println(
                window.drill
                    + ": not a drill report with a fault (needs faultAt and endedAt); use the"
                    + " .json that vigil drill run wrote");
            return 2;
          }
          title = "drill " + report.path("drill").asText();
          from = Instant.parse(report.get("faultAt").asText());
          to = Instant.parse(report.get("endedAt").asText());
          report.path("alerts").forEach(a -> expected.add(a.path("alert").asText()));
          faults.add(
              new IncidentDraft.FaultRecord(
                  "fault of drill " + report.path("drill").asText(),
                  null,
                  from,
                  report.hasNonNull("faultClearedAt")
                      ? Instant.parse(report.get("faultClearedAt").asText())
                      : null));
        } else {
          from = Instant.parse(window.range.from);
          to = Instant.parse(window.range.to);
          title = "incident " + from + " to " + to;
        }
      } catch (DateTimeParseException e) {
        System.err.println(
            "not an RFC 3339 UTC time: '"
                + e.getParsedString()
                + "'; write e.g. 2026-12-02T06:00:00Z");
        return 2;
      } catch (IOException e) {
        System.err.println("cannot read " + window.drill + ": " + e.getMessage());
        return 2;
      }
      if (!to.isAfter(from)) {
        System.err.println("--to must be after --from");
        return 2;
      }
      try {
        // runbook links are relative to where the draft lands
        Path draftDir =
            out == null ? Path.of("").toAbsolutePath() : out.toAbsolutePath().getParent();
        String md =
            new IncidentDraft(
                    new PrometheusClient(stack.url(Component.PROMETHEUS)),
                    new NotificationLog(stack.layout().notifications()),
                    runbooks,
                    draftDir)
                .markdown(title, from, to, faults, expected);
        String text = format.equals("html") ? IncidentHtml.render("Postmortem: " + title, md) : md;
        if (out != null) {
          Files.writeString(out, text);
          System.out.println("draft written to " + out);
        } else {
          System.out.print(text);
        }
        return 0;
      } catch (IOException e) {
        System.err.println("cannot draft: " + e.getMessage());
        return 1;
      }
    }
  }
}
