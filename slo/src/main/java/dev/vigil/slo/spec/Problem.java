package dev.vigil.slo.spec;

import java.nio.file.Path;

/**
 * One thing wrong with a spec, with where it is and how to fix it.
 *
 * @param file the spec file
 * @param field the field path inside the file, e.g. {@code slos[0].objective}
 * @param message what is wrong
 * @param fix what to write instead
 * @param line the 1-based line of the field in the file (of the nearest enclosing field written
 *     when the field itself is missing), 0 when unknown
 * @param column the 1-based column on that line, 0 when unknown
 */
public record Problem(Path file, String field, String message, String fix, int line, int column) {

  /**
   * A problem whose position is not known yet ({@link SpecPositions#locate} finds it from the field
   * path).
   *
   * @param file the spec file
   * @param field the field path inside the file
   * @param message what is wrong
   * @param fix what to write instead
   */
  public Problem(Path file, String field, String message, String fix) {
    this(file, field, message, fix, 0, 0);
  }

  /**
   * @param line 1-based line
   * @param column 1-based column
   * @return this problem at that position
   */
  public Problem at(int line, int column) {
    return new Problem(file, field, message, fix, line, column);
  }

  /**
   * @return {@code file:line:col: field: message. Fix: fix} — one line for the terminal ({@code
   *     file: field: ...} when the position is unknown)
   */
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
    return where + ": " + field + ": " + message + ". Fix: " + fix;
  }
}
