package dev.vigil.catalog.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.catalog.CatalogCommand;
import dev.vigil.telemetry.admin.AdminConfig;
import dev.vigil.telemetry.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The catalog's settings are declared once: the README's table, {@code vigil catalog --help} and
 * the configuration all come from {@link CatalogConfig#SETTINGS}.
 */
class CatalogSettingsTest {

  @Test
  void theReadmeTableIsTheDeclaredOne() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(CatalogConfig.SETTINGS.documentedIn(readme))
        .as(
            "README.md's catalog table (between <!-- settings:catalog --> markers) must be"
                + " CatalogConfig.SETTINGS.markdownTable(); paste the expected text below")
        .contains(CatalogConfig.SETTINGS.markdownTable());
  }

  @Test
  void theHelpListsEverySettingWithItsDefault() {
    String help = new CommandLine(new CatalogCommand()).getUsageMessage();

    for (Setting<?> setting : CatalogConfig.SETTINGS.all()) {
      assertThat(help).contains(setting.name() + "=" + setting.defaultText());
    }
    assertThat(help).contains("VIGIL_ADMIN_PORT=8010", "VIGIL_RECONCILE_INTERVAL=30s");
  }

  @Test
  void everyDeclaredSettingWithAGrammarIsReadAndRefusesAValueOutsideIt() {
    CatalogConfig.fromEnvironment(Map.of());
    int refused = 0;
    for (Setting<?> setting : CatalogConfig.SETTINGS.all()) {
      if (setting.accepted().startsWith("a ") || setting.accepted().startsWith("an ")) {
        continue; // free text (an address, a name, a directory): any value is taken as it is
      }
      Map<String, String> env = Map.of(setting.name(), "x");
      // what `vigil catalog` reads at start: its configuration and its admin API's
      assertThatThrownBy(
              () -> {
                CatalogConfig.fromEnvironment(env);
                AdminConfig.fromEnvironment(env, CatalogConfig.ADMIN_PORT);
              })
          .as(setting.name())
          .hasMessageContaining(setting.name());
      refused++;
    }
    assertThat(refused).isGreaterThan(15);
  }
}
