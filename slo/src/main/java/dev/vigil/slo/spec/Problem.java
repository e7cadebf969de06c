package dev.vigil.slo.spec;

import java.nio.file.Path;

/**
 * One thing wrong with a spec, with where it is and how to fix it.
 *
 * @param file the spec file
 * @param field the field path inside the file, e.g. {@code slos[0].objective}
 * @param message what is wrong
 * @param fix what to write instead
 */
public record Problem(Path file, String field, String message, String fix) {

  /**
   * @return {@code file: field: message. Fix: fix} — one line for the terminal
   */
  @Override
  public String toString() {
    return file + ": " + field + ": " + message + ". Fix: " + fix;
  }
}
