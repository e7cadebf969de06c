package dev.vigil.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The latest notifications of the local alert receiver, read from the end of its JSONL file (one
 * JSON object per line, as {@code vigil receiver} writes them). Reads at most {@link #TAIL_BYTES}
 * from the end, so a long history costs nothing; lines that are not JSON are skipped.
 */
final class NotificationFeed {

  /** How much of the file's end is read, in bytes. */
  static final int TAIL_BYTES = 256 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  /**
   * @param file the receiver's JSONL file; it may not exist (no notification yet)
   */
  NotificationFeed(Path file) {
    this.file = file;
  }

  /**
   * The latest notifications, newest first.
   *
   * @param count how many at most
   * @return the notifications as the receiver recorded them (received_at, receiver, status,
   *     alertname, severity, service, labels, annotations); empty when the file does not exist
   * @throws IOException when the file exists and cannot be read
   */
  List<JsonNode> latest(int count) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    String tail;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long from = Math.max(0, length - TAIL_BYTES);
      byte[] bytes = new byte[(int) (length - from)];
      raf.seek(from);
      raf.readFully(bytes);
      tail = new String(bytes, StandardCharsets.UTF_8);
      if (from > 0) {
        tail = tail.substring(tail.indexOf('\n') + 1); // drop the partial first line
      }
    }
    List<JsonNode> out = new ArrayList<>();
    List<String> lines = tail.lines().toList();
    for (int i = lines.size() - 1; i >= 0 && out.size() < count; i--) {
      try {
        JsonNode node = JSON.readTree(lines.get(i));
        if (node != null && node.isObject()) {
          out.add(node);
        }
      } catch (IOException notJson) {
        // a line being written or not JSON: skipped
      }
    }
    return Collections.unmodifiableList(out);
  }
}
