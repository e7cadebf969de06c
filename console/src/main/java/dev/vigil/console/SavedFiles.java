package dev.vigil.console;

import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One directory of files the services or the CLI saved under the state directory (profiles,
 * backtests), read by the console: listed by a file-name pattern, and one of them found by its
 * name, never by a path.
 *
 * @param directory the directory; it may not exist
 * @param fileName what a file's name must match, e.g. {@code [A-Za-z0-9_.-]{1,200}\.jfr}
 * @param kind what the files are, in messages, e.g. {@code saved profile}
 * @param example a valid name, in messages, e.g. {@code catalog-20261202T060000Z-profile.jfr}
 * @param howToMake how a user gets one, in messages, e.g. {@code record one with ./vigil profile}
 */
record SavedFiles(Path directory, Pattern fileName, String kind, String example, String howToMake) {

  /**
   * The directory's files whose names match.
   *
   * @return the files, in no order; empty when the directory does not exist
   * @throws ProblemException 500 when the directory exists and cannot be listed
   */
  List<Path> list() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> fileName.matcher(f.getFileName().toString()).matches())
          .filter(Files::isRegularFile)
          .toList();
    } catch (IOException e) {
      throw new ProblemException(
          Problem.of(500, "cannot list the " + kind + "s in " + directory + ": " + e.getMessage()));
    }
  }

  /**
   * One file by its name.
   *
   * @param id a file name, as a request gave it
   * @return the file
   * @throws ProblemException 400 for a name the pattern refuses (a path, another kind of file), 404
   *     when there is no such file
   */
  Path find(String id) {
    if (id == null || !fileName.matcher(id).matches()) {
      throw new ProblemException(
          Problem.of(
              400,
              "'"
                  + id
                  + "' is not a "
                  + kind
                  + "'s file name: e.g. "
                  + example
                  + " (the console page lists them)"));
    }
    return list().stream()
        .filter(f -> f.getFileName().toString().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                ProblemException.notFound(
                    "no " + kind + " " + id + " in " + directory + ": " + howToMake));
  }
}
