package dev.vigil.slo.command;

import dev.vigil.prometheus.PrometheusClient;
import dev.vigil.prometheus.RemoteWriteClient;
import dev.vigil.prometheus.SampleWriter;
import dev.vigil.prometheus.TsdbBlockWriter;
import dev.vigil.slo.backfill.Backfill;
import dev.vigil.slo.model.Slo;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vigil slo backfill [--prometheus URL] [--remote-write URL] [--from T] [--to T] [SPEC...]}:
 * writes each SLO's recorded event counts for the history before its rules were loaded ({@link
 * Backfill}). Exit 0 when every SLO has its history written (or had it already), 1 when an SLO's
 * backfill wrote nothing (no raw history in the range: the reason is printed), when the specs have
 * problems or the store fails, 2 usage.
 */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description =
        "Write each SLO's recorded event counts for the history before its rules were loaded,"
            + " evaluated by Prometheus itself and written through remote write.",
    exitCodeOnInvalidInput = 2)
public final class BackfillCommand implements Callable<Integer> {

  /** Its data directory, relative to the repository root (where the launcher runs the CLI). */
  static final Path LOCAL_TSDB = LocalState.resolve("prometheus");

  @Spec CommandSpec spec;

  @Mixin PrometheusOption prometheus;

  @Option(
      names = "--remote-write",
      paramLabel = "URL",
      description =
          "Remote-write receiver of the same store (default: the --prometheus URL +"
              + " /api/v1/write; Prometheus needs --web.enable-remote-write-receiver and an"
              + " out-of-order window as long as the period)")
  URI remoteWrite;

  @Option(
      names = "--tsdb",
      paramLabel = "DIR",
      description =
          "The data directory (--storage.tsdb.path) of the Prometheus at --prometheus, on this"
              + " machine: write TSDB blocks there with promtool instead of remote write (default with"
              + " the local stack: .vigil/prometheus). Prometheus loads them within a minute and queries"
              + " them at block speed; samples remote-written behind Prometheus 2.x's head are"
              + " served from its out-of-order head, about 100 times slower, until its next"
              + " compaction")
  Path tsdb;

  @Option(
      names = "--from",
      paramLabel = "INSTANT",
      description = "Earliest ISO-8601 instant to write (default: one period before the end)")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "INSTANT",
      description =
          "Latest ISO-8601 instant to write when an SLO has no live recording yet (default: now);"
              + " with live recordings the history ends just before the first one")
  Instant to;

  @Mixin SpecFilesParameter specs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Slo> slos = SpecFiles.validSlos(specs.paths(), err);
    if (slos == null) {
      return 1;
    }
    URI writeTo =
        remoteWrite != null
            ? remoteWrite
            : URI.create(prometheus.url().toString().replaceAll("/+$", "") + "/api/v1/write");
    if (tsdb == null
        && remoteWrite == null
        && prometheus.url().equals(URI.create(PrometheusOption.LOCAL))
        && Files.isDirectory(LOCAL_TSDB)) {
      tsdb = LOCAL_TSDB;
      out.println(
          "writing TSDB blocks into " + tsdb + ", the local stack's Prometheus data directory");
    }
    SampleWriter writer;
    try {
      writer = tsdb != null ? new TsdbBlockWriter(tsdb) : new RemoteWriteClient(writeTo);
    } catch (IOException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    Backfill backfill = new Backfill(new PrometheusClient(prometheus.url()), writer);
    int exit = 0;
    for (Slo slo : slos) {
      String name = slo.service() + "/" + slo.name();
      try {
        Backfill.Result result = backfill.run(slo, from, to);
        if (result.skipped() != null) {
          out.println(name + ": " + result.skipped());
        } else if (result.total() == 0) {
          err.println(
              name
                  + ": wrote nothing: the SLI's series have no data between "
                  + result.from()
                  + " and "
                  + result.to()
                  + " in "
                  + prometheus.url()
                  + " (check the spec's selectors with vigil slo validate --prometheus)");
          exit = 1;
        } else {
          out.println(name + ": " + describe(result));
        }
      } catch (IOException e) {
        err.println(name + ": error: " + e.getMessage());
        exit = 1;
      }
    }
    out.flush();
    err.flush();
    return exit;
  }

  private static String describe(Backfill.Result result) {
    StringBuilder text = new StringBuilder("wrote ");
    String sep = "";
    for (Map.Entry<String, Long> e : result.samples().entrySet()) {
      text.append(sep)
          .append(String.format(Locale.ROOT, "%,d", e.getValue()))
          .append(" samples of ")
          .append(e.getKey());
      sep = ", ";
    }
    long hours = Backfill.span(result).toHours();
    return text.append(" from ")
        .append(result.from())
        .append(" to ")
        .append(result.to())
        .append(" (")
        .append(hours / 24)
        .append("d ")
        .append(hours % 24)
        .append("h)")
        .toString();
  }
}
