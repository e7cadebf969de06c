package dev.vigil.prometheus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes samples as TSDB blocks into the data directory of a Prometheus on this machine, the way
 * Prometheus documents backfilling: the samples are written as OpenMetrics, {@code promtool tsdb
 * create-blocks-from openmetrics} turns them into blocks, and the blocks are moved into the data
 * directory, where Prometheus loads them at its next block reload (every minute) and merges them
 * with overlapping blocks at its next compaction.
 *
 * <p>Why not remote write into Prometheus 2.x: samples behind its head go to the out-of-order head,
 * which serves them about 100 times slower than blocks until its next head compaction (measured:
 * 43,200 samples of one series in 2.4 s against 86,000 in 0.05 s from blocks).
 */
public final class TsdbBlockWriter implements SampleWriter {

  private final Path dataDir;
  private final Path work;
  private final Path file;
  private BufferedWriter out;
  private long samples;

  /**
   * @param dataDir the Prometheus data directory ({@code --storage.tsdb.path}), e.g. {@code
   *     .vigil/prometheus}
   * @throws IOException when no temporary file can be created
   * @throws IllegalArgumentException when {@code dataDir} is not a directory
   */
  public TsdbBlockWriter(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      throw new IllegalArgumentException(
          dataDir + " is not a Prometheus data directory (--storage.tsdb.path); check the path");
    }
    this.dataDir = dataDir;
    // beside the data directory: blocks are moved into it atomically, on the same file system
    this.work =
        Files.createTempDirectory(
            dataDir.toAbsolutePath().getParent(), "." + dataDir.getFileName() + "-blocks-");
    this.file = work.resolve("samples.om");
  }

  @Override
  public long write(List<RemoteWriteClient.Series> series) throws IOException {
    if (out == null) {
      Files.createDirectories(work);
      out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
    StringBuilder line = new StringBuilder(200);
    for (RemoteWriteClient.Series s : series) {
      Map<String, String> labels = new TreeMap<>(s.labels());
      String name = labels.remove("__name__");
      StringBuilder selector = new StringBuilder(name).append('{');
      String sep = "";
      for (Map.Entry<String, String> e : labels.entrySet()) {
        selector
            .append(sep)
            .append(e.getKey())
            .append("=\"")
            .append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
            .append('"');
        sep = ",";
      }
      selector.append("} ");
      for (RemoteWriteClient.Sample sample : s.samples()) {
        line.setLength(0);
        line.append(selector)
            .append(Double.toString(sample.value()))
            .append(' ')
            .append(String.format(Locale.ROOT, "%.3f", sample.epochMillis() / 1000.0))
            .append('\n');
        out.write(line.toString());
        samples++;
      }
    }
    return series.stream().mapToLong(s -> s.samples().size()).sum();
  }

  /**
   * Turns what was written since the last commit into blocks and moves them into the data
   * directory.
   *
   * @throws IOException when promtool fails (its output included) or a block cannot be moved
   */
  @Override
  public void commit() throws IOException {
    if (out == null) {
      return;
    }
    out.write("# EOF\n");
    out.close();
    out = null;
    if (samples == 0) {
      Files.delete(file);
      Files.delete(work);
      return;
    }
    samples = 0;
    Files.createDirectories(work);
    Path blocks = Files.createDirectories(work.resolve("blocks"));
    LocalPrometheus.importOpenMetrics(file, blocks);
    Files.delete(file);
    try (Stream<Path> made = Files.list(blocks)) {
      for (Path block : made.toList()) {
        if (Files.isDirectory(block)) {
          Files.move(block, dataDir.resolve(block.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
      }
    }
    try (Stream<Path> left = Files.walk(work)) {
      for (Path p : left.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
