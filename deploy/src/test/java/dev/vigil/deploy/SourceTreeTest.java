package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The build tells every test where the checkout is, so no test finds it by the luck of its working
 * directory.
 */
class SourceTreeTest {

  @Test
  void theBuildPassesTheCheckoutRootToTestsAsVigilRoot() {
    String property = System.getProperty("vigil.root");

    assertThat(property)
        .as("system property vigil.root (the parent POM's Surefire systemPropertyVariables)")
        .isNotBlank();
    Path root = Path.of(property).toAbsolutePath().normalize();
    // Surefire runs each module's tests in the module's directory: its parent is the checkout.
    assertThat(root).isEqualTo(Path.of("").toAbsolutePath().getParent().normalize());
    assertThat(root.resolve(".mvn")).isDirectory();
    assertThat(Files.isRegularFile(root.resolve("deploy/prometheus/prometheus.yml"))).isTrue();
    assertThat(SourceTree.root()).isEqualTo(root);
  }
}
