package dev.vigil.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The stack's state file, {@code run/stack.json}: the {@link StackState} that {@code up} recorded,
 * read by every later command (status, down, alerts, drills) to find ports and command lines.
 */
final class StackStateFile {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  /**
   * @param file normally {@link StackLayout#stateFile()}
   */
  StackStateFile(Path file) {
    this.file = file;
  }

  /**
   * What the last {@code up} recorded.
   *
   * @return the state, or empty before the first {@code up}
   * @throws IllegalStateException when the file is unreadable (says how to record it again)
   */
  Optional<StackState> read() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), StackState.class));
    } catch (IOException e) {
      throw new IllegalStateException(
          file
              + " is unreadable ("
              + e.getMessage()
              + "); run ./vigil down and ./vigil up to record it again",
          e);
    }
  }

  /**
   * Records a state, replacing the previous one.
   *
   * @param state what {@code up} is starting
   * @throws UncheckedIOException when the file cannot be written
   */
  void write(StackState state) {
    try {
      Files.createDirectories(file.getParent());
      JSON.writeValue(file.toFile(), state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
