package dev.vigil.telemetry.logging;

/**
 * Where finished log lines go: the process's stdout ({@link AsyncLineWriter#stdout()}) in
 * production, any other {@link AsyncLineWriter} (a file, a buffer) or a collecting lambda
 * elsewhere.
 */
@FunctionalInterface
public interface LineSink {

  /**
   * Takes one whole line. The sink adds the line terminator and never splits or interleaves lines.
   *
   * @param line the line's characters without a trailing newline, e.g. one JSON object; the sink is
   *     done with it when this method returns, so the caller may reuse it
   */
  void writeLine(CharSequence line);
}
