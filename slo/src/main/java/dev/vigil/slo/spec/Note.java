package dev.vigil.slo.spec;

import java.nio.file.Path;

/**
 * Something a spec reader assumed or left out that the user should know, but which is not an error:
 * e.g. the 30d period it assumed for a Sloth spec, Sloth alert names it did not copy.
 *
 * @param file the spec file
 * @param field the field path inside the file, e.g. {@code slos[0].alerting.name}
 * @param message what was assumed or dropped, and what to do if that is not what was meant
 */
public record Note(Path file, String field, String message) {

  /**
   * @return {@code file: field: message} — one line for the terminal
   */
  @Override
  public String toString() {
    return file + ": " + field + ": " + message;
  }
}
