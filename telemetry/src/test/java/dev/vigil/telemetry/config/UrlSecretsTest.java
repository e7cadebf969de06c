package dev.vigil.telemetry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A database URL in an error message never shows its password. */
class UrlSecretsTest {

  @Test
  void passwordsInUserInfoAndParametersAreMasked() {
    assertThat(UrlSecrets.mask("postgres://app:hunter2@db:5432/catalog"))
        .isEqualTo("postgres://app:****@db:5432/catalog");
    assertThat(UrlSecrets.mask("jdbc:postgresql://db/catalog?user=app&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/catalog?user=app&password=****&ssl=true");
    assertThat(UrlSecrets.mask("jdbc:h2:file:/x;PASSWORD=hunter2;LOCK_TIMEOUT=1"))
        .isEqualTo("jdbc:h2:file:/x;PASSWORD=****;LOCK_TIMEOUT=1");
    assertThat(UrlSecrets.mask("https://api?access_token=abc&page=2"))
        .isEqualTo("https://api?access_token=****&page=2");
    assertThat(UrlSecrets.mask("jdbc:postgresql://db:5432/catalog"))
        .isEqualTo("jdbc:postgresql://db:5432/catalog");
    assertThat(UrlSecrets.mask(null)).isNull();
  }

  @Test
  void anInvalidVariableHoldingAUrlIsReportedWithoutItsPassword() {
    IllegalArgumentException invalid =
        Environment.invalid("VIGIL_DB_URL", "postgres://app:hunter2@db/c", "a JDBC URL");

    assertThat(invalid.getMessage())
        .contains("VIGIL_DB_URL")
        .contains("app:****@db")
        .doesNotContain("hunter2");
    assertThat(new Environment(Map.of()).text("X", "y")).isEqualTo("y");
  }
}
