package dev.vigil.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads Linux /proc: resident memory and CPU time of a process, busy time of the whole machine.
 * Times are in clock ticks of 10 ms (USER_HZ = 100 on Linux).
 */
final class ProcStat {

  /** Seconds per clock tick (USER_HZ = 100). */
  static final double SECONDS_PER_TICK = 0.01;

  private ProcStat() {}

  /**
   * Resident set size.
   *
   * @param pid process id
   * @return VmRSS of /proc/PID/status in KiB, or 0 when the process is gone
   */
  static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * CPU time of a process, all threads.
   *
   * @param pid process id
   * @return utime + stime of /proc/PID/stat in clock ticks
   * @throws IllegalStateException when the process does not exist
   */
  static long processTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": field 3 is state at index 0, so utime (14) is index 11, stime (15)
      // index 12
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException e) {
      throw new IllegalStateException(
          "process " + pid + " is gone (did the service crash? see its log)", e);
    }
  }

  /**
   * Busy CPU time of the whole machine (all cores): everything but idle and iowait.
   *
   * @return clock ticks from the first line of /proc/stat
   * @throws IllegalStateException when /proc/stat cannot be read (not Linux)
   */
  static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/stat: the load benchmark needs Linux", e);
    }
  }
}
