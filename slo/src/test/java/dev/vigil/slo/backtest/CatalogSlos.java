package dev.vigil.slo.backtest;

import dev.vigil.slo.model.Slo;
import dev.vigil.slo.spec.SpecReader;
import java.nio.file.Path;
import java.util.List;

/** The SLOs of the repository's slos/catalog.yaml, as the backtest tests replay them. */
final class CatalogSlos {

  /** The checkout's slos/catalog.yaml (system property {@code vigil.root}, set by Surefire). */
  static final Path CATALOG =
      Path.of(System.getProperty("vigil.root", "..")).resolve("slos/catalog.yaml");

  private CatalogSlos() {}

  /**
   * @return the catalog's availability SLO (99.9% over 30d, request-based)
   */
  static Slo availability() {
    return new SpecReader()
        .read(List.of(CATALOG)).slos().stream()
            .filter(s -> s.name().equals("availability"))
            .findFirst()
            .orElseThrow();
  }
}
