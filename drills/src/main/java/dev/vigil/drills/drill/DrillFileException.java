package dev.vigil.drills.drill;

/** A drill file that is missing or invalid; the message names the file, line, field and fix. */
public final class DrillFileException extends RuntimeException {

  /**
   * An error about a drill file.
   *
   * @param message what is wrong and how to fix it, starting with the file (and line when known)
   */
  public DrillFileException(String message) {
    super(message);
  }
}
