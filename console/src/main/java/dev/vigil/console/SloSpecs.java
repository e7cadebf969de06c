package dev.vigil.console;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.Problem;
import dev.vigil.slo.spec.SpecReader;
import dev.vigil.slo.validate.SloValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The SLOs the console shows, read once at start with slo's {@link SpecReader} and checked with its
 * {@link SloValidator}, as {@code vigil slo report} reads them.
 */
final class SloSpecs {

  private final List<Slo> slos;

  private SloSpecs(List<Slo> slos) {
    this.slos = List.copyOf(slos);
  }

  /**
   * Reads and validates specs.
   *
   * @param args spec files, or directories whose {@code *.yaml}/{@code *.yml} files are read
   * @return the SLOs
   * @throws IllegalArgumentException when a spec has problems; the message lists each
   *     (file:line:col, field, fix)
   */
  static SloSpecs read(List<Path> args) {
    List<Path> files = new ArrayList<>();
    for (Path p : args) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> list = Files.list(p)) {
          list.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
              .sorted()
              .forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot list SLO specs in " + p + ": " + e.getMessage(), e);
        }
      } else {
        files.add(p);
      }
    }
    SpecReader.Result read = new SpecReader().read(files);
    List<Problem> problems = new ArrayList<>(read.problems());
    problems.addAll(new SloValidator().validate(read.slos()));
    if (!problems.isEmpty()) {
      StringBuilder message =
          new StringBuilder(
              "the SLO specs have problems; fix them (./vigil slo validate) and start again:");
      problems.forEach(p -> message.append("\n  ").append(p));
      throw new IllegalArgumentException(message.toString());
    }
    return new SloSpecs(read.slos());
  }

  /**
   * @return every SLO, in spec order
   */
  List<Slo> all() {
    return slos;
  }

  /**
   * @param service the service name
   * @param name the SLO name
   * @return the SLO, or empty when no spec declares it
   */
  Optional<Slo> find(String service, String name) {
    return slos.stream()
        .filter(s -> s.service().equals(service) && s.name().equals(name))
        .findFirst();
  }
}
