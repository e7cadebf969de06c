package dev.vigil.stack.receiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSONL file where the local receiver records notifications, one {@link Notification} per line,
 * oldest first ({@code .vigil/alerts/notifications.jsonl}).
 *
 * <p>Writers append under a lock and flush each batch, so readers (another process: {@code vigil
 * alerts}, a drill) see whole lines.
 */
public final class NotificationLog {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private final Path file;

  /**
   * Opens the log at a path; the file and its directory are created on the first append.
   *
   * @param file the JSONL file, e.g. {@code .vigil/alerts/notifications.jsonl}
   */
  public NotificationLog(Path file) {
    this.file = file;
  }

  /**
   * The file this log reads and writes.
   *
   * @return the JSONL path
   */
  public Path file() {
    return file;
  }

  /**
   * Appends notifications, one JSON line each, and flushes them to disk.
   *
   * @param notifications the alerts of one webhook notification
   * @throws UncheckedIOException when the file cannot be written
   */
  public synchronized void append(List<Notification> notifications) {
    StringBuilder lines = new StringBuilder();
    try {
      for (Notification n : notifications) {
        lines.append(JSON.writeValueAsString(n)).append('\n');
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          lines,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads every recorded notification, oldest first; an absent file reads as no notification.
   *
   * @return the notifications in file order
   * @throws IllegalStateException when a line is not a notification (names the file and line
   *     number)
   * @throws UncheckedIOException when the file cannot be read
   */
  public List<Notification> readAll() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Notification> out = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        out.add(JSON.readValue(line, Notification.class));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(
            file
                + " line "
                + (i + 1)
                + " is not a notification record ("
                + e.getOriginalMessage()
                + "); move the file away to start a fresh log",
            e);
      }
    }
    return out;
  }

  /**
   * The last {@code count} notifications, oldest first (newest last).
   *
   * @param count how many to return, at least 0
   * @return at most {@code count} notifications
   */
  public List<Notification> last(int count) {
    List<Notification> all = readAll();
    return all.subList(Math.max(0, all.size() - count), all.size());
  }
}
