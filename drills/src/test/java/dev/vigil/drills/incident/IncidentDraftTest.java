package dev.vigil.drills.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.drills.incident.IncidentDraft.AlertHistory;
import dev.vigil.drills.incident.IncidentDraft.FaultRecord;
import dev.vigil.drills.incident.IncidentDraft.Recorded;
import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.stack.receiver.Notification;
import dev.vigil.stack.receiver.NotificationLog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident draft of recorded data (issue 27: "the incident draft names the wrong alert"). The
 * window below is the one a user drafted for a client-error-flood drill on a young stack:
 * TrafficSpike was already firing when the fault began, a host alert without a service fired before
 * the drill's own alert, and the draft said "Detected by TrafficSpike" and measured every alert
 * against the fault. The draft must name HighErrorRate, list the other two apart, and give each
 * alert its own times.
 */
class IncidentDraftTest {

  private static final Instant FAULT = Instant.parse("2026-12-07T12:00:00Z");
  private static final Instant CLEARED = Instant.parse("2026-12-07T12:06:00Z");
  private static final Instant END = Instant.parse("2026-12-07T12:08:00Z");

  @TempDir Path tmp;

  /** Never asked: rendering works on recorded data only. */
  private IncidentDraft drafter(Path runbooks, Path draftDir) {
    return new IncidentDraft(
        new PrometheusClient(URI.create("http://127.0.0.1:9")),
        new NotificationLog(tmp.resolve("unused.jsonl")),
        runbooks,
        draftDir);
  }

  private static Instant at(String hms) {
    return Instant.parse("2026-12-07T" + hms + "Z");
  }

  private static Notification notified(String alert, String receiver, String status, String at) {
    return new Notification(
        at(at), receiver, status, alert, null, null, Map.of(), Map.of(), null, null);
  }

  private static AlertHistory alert(
      String name,
      Map<String, String> labels,
      String pending,
      String firing,
      String lastFiring,
      boolean activeAtStart,
      List<Notification> notifications) {
    return new AlertHistory(
        name,
        labels,
        pending == null ? null : at(pending),
        firing == null ? null : at(firing),
        lastFiring == null ? null : at(lastFiring),
        activeAtStart,
        notifications);
  }

  /** The client-error-flood window as Prometheus and the receiver recorded it. */
  private static List<AlertHistory> clientErrorFlood() {
    return List.of(
        // firing since before the drill: the former stated baseline made 5 req/s a "spike"
        alert(
            "TrafficSpike",
            Map.of("service", "catalog", "severity", "warning"),
            null,
            "12:00:00",
            "12:08:00",
            true,
            List.of()),
        // the drill's expected alert
        alert(
            "HighErrorRate",
            Map.of("service", "catalog", "severity", "critical"),
            "12:00:20",
            "12:05:20",
            "12:06:40",
            false,
            List.of(
                notified("HighErrorRate", "pager", Notification.FIRING, "12:05:25"),
                notified("HighErrorRate", "pager", Notification.RESOLVED, "12:07:10"))),
        // a host alert (no service label) that happened to fire first
        alert(
            "HighCpuUsage",
            Map.of("instance", "127.0.0.1:9100", "severity", "warning"),
            "12:01:00",
            "12:04:00",
            "12:05:00",
            false,
            List.of(notified("HighCpuUsage", "ticket", Notification.FIRING, "12:04:05"))));
  }

  private String draftOfClientErrorFlood(Path runbooks) {
    return drafter(runbooks, tmp)
        .render(
            new Recorded(
                "drill client-error-flood",
                FAULT,
                END,
                List.of(new FaultRecord("fault of drill client-error-flood", null, FAULT, CLEARED)),
                List.of("HighErrorRate"),
                clientErrorFlood(),
                List.of()));
  }

  @Test
  void theDrillsExpectedAlertDetectsNotOneAlreadyFiringNorAnUnrelatedOneThatFiredFirst() {
    String md = draftOfClientErrorFlood(tmp.resolve("no-runbooks"));

    assertThat(md)
        .contains("| **Detected by** | HighErrorRate at 12:05:20 |")
        .doesNotContain("Detected by** | TrafficSpike")
        .doesNotContain("Detected by** | HighCpuUsage")
        .contains("| **Services affected** | catalog |")
        .contains("<SEV1 or SEV2: a critical alert paged>")
        .contains("| 12:00:00 | Alert already firing when the window began: `TrafficSpike` |")
        .contains("| 12:05:20 | Alert fires: `HighErrorRate` |");
  }

  @Test
  void alertsActiveBeforeTheWindowAndUnrelatedAlertsAreListedApartWithTheirOwnTimes() {
    String md = draftOfClientErrorFlood(tmp.resolve("no-runbooks"));
    String response =
        md.substring(md.indexOf("## Detection and response"), md.indexOf("## What went well"));
    String related = response.substring(0, response.indexOf("### "));
    String before =
        response.substring(
            response.indexOf("### Already active"), response.indexOf("### Started in the window"));
    String unrelated = response.substring(response.indexOf("### Started in the window"));

    // fault at 12:00:00: notified 12:05:25 is 325 s, cleared 12:06:00 to resolved 12:07:10 is 70 s
    assertThat(related)
        .contains("| HighErrorRate | critical | pager | 12:05:20 | 325.0 s | 12:07:10 | 70.0 s |")
        .doesNotContain("TrafficSpike")
        .doesNotContain("HighCpuUsage");
    assertThat(before)
        .contains("| TrafficSpike | warning | catalog | before 12:00:00 | 12:08:00 |");
    assertThat(unrelated).contains("| HighCpuUsage | warning | - | 12:01:00 | 12:05:00 | - |");
    // nothing measures HighCpuUsage against the fault (12:04:05 would read 245.0 s)
    assertThat(md).doesNotContain("245.0 s");
  }

  @Test
  void withoutADrillTheFirstAlertToStartFiringInTheWindowDetects() {
    String md =
        drafter(tmp, tmp)
            .render(
                new Recorded(
                    "incident",
                    FAULT,
                    END,
                    List.of(),
                    List.of(),
                    List.of(
                        alert(
                            "TrafficSpike",
                            Map.of("service", "catalog", "severity", "warning"),
                            null,
                            "12:00:00",
                            "12:08:00",
                            true,
                            List.of()),
                        alert(
                            "HighLatency",
                            Map.of("service", "catalog", "severity", "warning"),
                            "12:01:00",
                            null,
                            null,
                            false,
                            List.of()),
                        alert(
                            "SlowResponses",
                            Map.of("service", "catalog", "severity", "warning"),
                            "12:00:30",
                            "12:05:30",
                            "12:07:00",
                            false,
                            List.of())),
                    List.of()));

    assertThat(md)
        .contains("| **Detected by** | SlowResponses at 12:05:30 |")
        .contains("<SEV3: no page>");
  }

  @Test
  void anAdminFaultsServiceMakesItsAlertsRelatedWhenTheExpectedOneNeverFired() {
    String md =
        drafter(tmp, tmp)
            .render(
                new Recorded(
                    "drill cache-failure",
                    FAULT,
                    END,
                    List.of(
                        new FaultRecord(
                            "admin fault cache_disabled on catalog target *",
                            "catalog",
                            FAULT,
                            CLEARED)),
                    List.of("LowCacheHitRate"),
                    List.of(
                        alert(
                            "HighCpuUsage",
                            Map.of("instance", "127.0.0.1:9100", "severity", "warning"),
                            "12:00:30",
                            "12:02:00",
                            null,
                            false,
                            List.of()),
                        alert(
                            "DatabaseQueryLatencyHigh",
                            Map.of("service", "catalog", "severity", "warning", "query", "by_id"),
                            "12:01:00",
                            "12:06:00",
                            null,
                            false,
                            List.of())),
                    List.of()));

    assertThat(md)
        .contains("| **Detected by** | DatabaseQueryLatencyHigh{query=by_id} at 12:06:00 |");
  }

  @Test
  void noRelatedAlertFiredIsSaidSo() {
    String md =
        drafter(tmp, tmp)
            .render(
                new Recorded(
                    "drill client-error-flood",
                    FAULT,
                    END,
                    List.of(new FaultRecord("fault", null, FAULT, CLEARED)),
                    List.of("HighErrorRate"),
                    List.of(clientErrorFlood().get(0), clientErrorFlood().get(2)),
                    List.of()));

    assertThat(md).contains("| **Detected by** | <no alert related to the fault fired> |");
  }

  @Test
  void runbookLinksOpenFromTheDirectoryTheDraftIsWrittenTo() throws IOException {
    Path runbooks = Files.createDirectories(tmp.resolve("checkout/docs/runbooks"));
    for (String alert : List.of("HighErrorRate", "TrafficSpike", "HighCpuUsage")) {
      Files.writeString(runbooks.resolve(alert + ".md"), "# " + alert + "\n");
    }
    for (Path draftDir :
        List.of(
            tmp.resolve("checkout"),
            tmp.resolve("checkout/docs"),
            tmp.resolve("elsewhere/reports/2026"),
            runbooks)) {
      String md =
          drafter(runbooks, draftDir)
              .render(
                  new Recorded(
                      "drill client-error-flood",
                      FAULT,
                      END,
                      List.of(new FaultRecord("fault", null, FAULT, CLEARED)),
                      List.of("HighErrorRate"),
                      clientErrorFlood(),
                      List.of()));

      Matcher links = Pattern.compile("\\[docs/runbooks/(\\w+)\\.md]\\(([^)]+)\\)").matcher(md);
      int found = 0;
      while (links.find()) {
        found++;
        Path target = draftDir.resolve(links.group(2)).normalize();
        assertThat(target)
            .as("link %s in a draft written to %s", links.group(2), draftDir)
            .isEqualTo(runbooks.resolve(links.group(1) + ".md"))
            .isRegularFile();
      }
      assertThat(found).as("runbook links in the draft written to %s", draftDir).isEqualTo(3);
    }
  }
}
