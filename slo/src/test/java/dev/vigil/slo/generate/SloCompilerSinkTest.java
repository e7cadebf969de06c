package dev.vigil.slo.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SloCompiler#compile(List, SloCompiler.Sink)} hands over exactly the files {@link
 * SloCompiler#compile(List)} returns, each once, and lists them in the same order.
 */
class SloCompilerSinkTest {

  private static final Path ROOT =
      Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();
  private static final Path SPECS = ROOT.resolve("slo/src/test/resources/specs");

  @Test
  void everyFileOnceInTheOrderOfCompile() throws IOException {
    assertSameAsCompile(
        read(
            List.of(
                ROOT.resolve("slos/catalog.yaml"),
                SPECS.resolve("openslo-checkout.yaml"),
                SPECS.resolve("openslo-search-calendar.yaml"),
                SPECS.resolve("sloth-myservice.yaml"))));
  }

  /** Two spec files of one base name write the same paths: the later one's files win. */
  @Test
  void specsOfOneBaseNameEndAsInCompile(@TempDir Path dir) throws IOException {
    Path a = Files.createDirectories(dir.resolve("a")).resolve("x.yaml");
    Path b = Files.createDirectories(dir.resolve("b")).resolve("x.yaml");
    String catalog = Files.readString(ROOT.resolve("slos/catalog.yaml"));
    Files.writeString(a, catalog);
    Files.writeString(b, catalog.replace("service: catalog", "service: shop"));

    assertSameAsCompile(read(List.of(a, b)));
  }

  @Test
  void whatTheSinkThrowsIsThrown() {
    List<Slo> slos = read(List.of(ROOT.resolve("slos/catalog.yaml")));

    assertThatThrownBy(
            () ->
                new SloCompiler()
                    .compile(
                        slos,
                        (path, text) -> {
                          throw new IOException("disk full at " + path);
                        }))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("disk full at ");
  }

  private static void assertSameAsCompile(List<Slo> slos) throws IOException {
    SloCompiler.Output expected = new SloCompiler().compile(slos);
    Map<String, String> handed = new ConcurrentHashMap<>();
    List<String> twice = new ArrayList<>();
    SloCompiler.Handed got =
        new SloCompiler()
            .compile(
                slos,
                (path, text) -> {
                  if (handed.put(path, text) != null) {
                    synchronized (twice) {
                      twice.add(path);
                    }
                  }
                });

    assertThat(twice).as("files handed over twice").isEmpty();
    assertThat(got.paths()).containsExactlyElementsOf(expected.files().keySet());
    assertThat(handed).isEqualTo(expected.files());
    assertThat(got.notes()).isEqualTo(expected.notes());
  }

  private static List<Slo> read(List<Path> specs) {
    SpecReader.Result read = new SpecReader().read(specs);
    assertThat(read.problems()).isEmpty();
    return read.slos();
  }
}
