package dev.vigil.bench.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot peer of the vigil catalog: the same two read endpoints over the same deterministic
 * catalogue, with Actuator, Micrometer's Prometheus registry and Micrometer Tracing (OpenTelemetry bridge)
 * left at their defaults. It exists only to be measured against vigil by {@code bench/run.sh}.
 */
@SpringBootApplication
public class SpringCatalogApplication {

  /**
   * Starts the application.
   *
   * @param args Spring Boot arguments, e.g. {@code --server.port=18080} (or set {@code SERVER_PORT})
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringCatalogApplication.class, args);
  }
}
