package dev.vigil.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code vigil down --purge}: removes what a stopped local stack recorded ({@link
 * StackLayout#recordedHistory()}), so that the next {@code up} starts with empty history, and keeps
 * {@link StackLayout#keptByPurge()}.
 *
 * <p>It only ever deletes inside a directory that looks like vigil's state directory: no entry
 * vigil does not write there, and {@code run/stack.json} (every {@code up} writes it) beside any
 * history. A mistyped {@code --state-dir} or {@code $VIGIL_DATA_DIR} (a home directory, a
 * repository) is refused before anything is touched. Symbolic links are removed, never followed.
 */
public final class StatePurge {

  private final StackLayout layout;

  /**
   * A purge of one state directory.
   *
   * @param layout the stack's layout
   */
  public StatePurge(StackLayout layout) {
    this.layout = layout;
  }

  /**
   * What a purge did.
   *
   * @param removed the entries removed (direct children of the state directory), in {@link
   *     StackLayout#recordedHistory()} order
   * @param kept the entries present and kept
   * @param failures one line per entry that could not be removed entirely (path and reason)
   */
  public record Outcome(List<Path> removed, List<Path> kept, List<String> failures) {}

  /**
   * Why this directory must not be purged, if it must not.
   *
   * @return empty when the directory is missing (nothing to purge) or looks like vigil's; else one
   *     sentence naming the directory and what is wrong with it
   */
  public Optional<String> refusal() {
    Path root = layout.root();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isDirectory(root)) {
      return Optional.of(root + " is not a directory");
    }
    Set<Path> known =
        Stream.concat(layout.recordedHistory().stream(), layout.keptByPurge().stream())
            .map(Path::getFileName)
            .collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>();
    List<Path> entries;
    try {
      entries = entries(root);
    } catch (IOException e) {
      return Optional.of("cannot list " + root + " (" + e.getMessage() + ")");
    }
    for (Path entry : entries) {
      if (!known.contains(entry.getFileName())) {
        unknown.add(entry.getFileName().toString());
      }
    }
    if (!unknown.isEmpty()) {
      return Optional.of(
          root
              + " does not look like a vigil state directory: it holds "
              + unknown.stream().limit(5).map(n -> "'" + n + "'").collect(Collectors.joining(", "))
              + (unknown.size() > 5 ? " and " + (unknown.size() - 5) + " more" : "")
              + ", which vigil never writes there");
    }
    boolean anyHistory =
        layout.recordedHistory().stream().anyMatch(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    if (anyHistory && !Files.isRegularFile(layout.stateFile())) {
      return Optional.of(
          root
              + " does not look like a vigil state directory: it has no "
              + root.relativize(layout.stateFile())
              + ", which every ./vigil up writes");
    }
    return Optional.empty();
  }

  /**
   * Removes the recorded history. Call it once the stack is stopped ({@link LocalStack#down}).
   *
   * @return what was removed and kept, and what could not be removed
   * @throws IllegalStateException when {@link #refusal()} names a reason (nothing is removed)
   */
  public Outcome purge() {
    refusal()
        .ifPresent(
            reason -> {
              throw new IllegalStateException(reason);
            });
    List<Path> removed = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Path entry : layout.recordedHistory()) {
      if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        deleteRecursively(entry);
        removed.add(entry);
      } catch (IOException e) {
        failures.add(entry + ": " + e);
      }
    }
    List<Path> kept =
        layout.keptByPurge().stream()
            .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
            .toList();
    return new Outcome(List.copyOf(removed), kept, List.copyOf(failures));
  }

  private static List<Path> entries(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      children.forEach(out::add);
    }
    return out;
  }

  /** Deletes a file tree bottom-up; a symbolic link is deleted itself, its target left alone. */
  private static void deleteRecursively(Path entry) throws IOException {
    Files.walkFileTree(
        entry,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
