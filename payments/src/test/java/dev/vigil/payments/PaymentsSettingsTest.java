package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The provider's settings are declared once: the README's table, {@code vigil payments --help} and
 * the configuration all come from {@link PaymentsConfig#SETTINGS}.
 */
class PaymentsSettingsTest {

  @Test
  void theReadmeTableIsTheDeclaredOne() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));

    assertThat(PaymentsConfig.SETTINGS.documentedIn(readme))
        .as(
            "README.md's payments table (between <!-- settings:payments --> markers) must be"
                + " PaymentsConfig.SETTINGS.markdownTable(); paste the expected text below")
        .contains(PaymentsConfig.SETTINGS.markdownTable());
  }

  @Test
  void theHelpListsEverySettingWithItsDefault() {
    String help = new CommandLine(new PaymentsCommand()).getUsageMessage();

    for (Setting<?> setting : PaymentsConfig.SETTINGS.all()) {
      assertThat(help).contains(setting.name() + "=" + setting.defaultText());
    }
    assertThat(help).contains("VIGIL_ADMIN_PORT=8011", "VIGIL_PAYMENTS_PORT=8001");
  }

  @Test
  void everyDeclaredSettingWithAGrammarRefusesAValueOutsideIt() {
    PaymentsConfig.fromEnvironment(Map.of());
    int refused = 0;
    for (Setting<?> setting : PaymentsConfig.SETTINGS.all()) {
      if (setting.accepted().startsWith("a ") || setting.accepted().startsWith("an ")) {
        continue; // free text (an address, a name, a directory): any value is taken as it is
      }
      assertThatThrownBy(() -> PaymentsConfig.fromEnvironment(Map.of(setting.name(), "x")))
          .as(setting.name())
          .hasMessageContaining(setting.name());
      refused++;
    }
    assertThat(refused).isGreaterThanOrEqualTo(6);
  }
}
