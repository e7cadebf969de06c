package dev.vigil.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the figures were taken on: CPU, cores, memory, kernel, JDK and tool versions, vigil commit.
 *
 * @param cpu CPU model name
 * @param cores online cores
 * @param memoryMib physical memory, MiB
 * @param kernel kernel release
 * @param jdk first line of {@code java -version} of the JDK running the services
 * @param wrk first line of {@code wrk --version}
 * @param commit {@code git rev-parse --short HEAD} of the repository, noting uncommitted changes in
 *     the modules the services are built from
 * @param loadAtStart the 1-, 5- and 15-minute load averages when the run started
 * @param loadAtEnd the same when it ended
 */
public record Machine(
    String cpu,
    int cores,
    long memoryMib,
    String kernel,
    String jdk,
    String wrk,
    String commit,
    String loadAtStart,
    String loadAtEnd) {

  /**
   * The load averages now.
   *
   * @return the first three fields of /proc/loadavg, e.g. {@code 0.83 1.28 1.40}, or {@code
   *     unknown}
   */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return fields.length < 3 ? "unknown" : fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * Describes this machine at the end of a run.
   *
   * @param settings where the JDK and the repository are
   * @param loadAtStart {@link #loadAverage()} when the run started
   * @return the description; unknown fields read "unknown"
   */
  public static Machine describe(BenchSettings settings, String loadAtStart) {
    String cpu = "unknown";
    long memory = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memory = Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      // leave unknown
    }
    return new Machine(
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memory,
        firstLine(List.of("uname", "-r"), settings.root()),
        firstLine(List.of(settings.java().toString(), "-version"), settings.root()),
        firstLine(List.of("wrk", "--version"), settings.root()),
        commit(settings.root()),
        loadAtStart,
        loadAverage());
  }

  /** The commit, and whether the code the services were built from had uncommitted changes. */
  private static String commit(Path root) {
    String head = firstLine(List.of("git", "rev-parse", "--short", "HEAD"), root);
    String dirty =
        firstLine(
            List.of("git", "status", "--porcelain", "--", "telemetry", "catalog", "cli"), root);
    return dirty.isEmpty() || dirty.equals("unknown")
        ? head
        : head
            + " plus uncommitted changes in telemetry/, catalog/ or cli/ (work in progress of other engineers)";
  }

  private static String firstLine(List<String> command, Path dir) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return out.lines().findFirst().orElse("").trim();
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
