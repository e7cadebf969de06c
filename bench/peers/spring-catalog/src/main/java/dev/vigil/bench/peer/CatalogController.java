package dev.vigil.bench.peer;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The two benchmarked endpoints, mirroring vigil's catalog: the service index and one product by id. */
@RestController
public class CatalogController {

  /** vigil's service-info body, byte for byte (vigil also writes it from a constant). */
  private static final String SERVICE_INFO =
      "{\"service\":\"catalog\",\"version\":\"0.1.0-SNAPSHOT\","
          + "\"links\":{\"products\":\"/api/products\",\"orders\":\"/api/orders\","
          + "\"pipeline\":\"/data/process?records=100\",\"metrics\":\"/metrics\",\"liveness\":\"/healthz\","
          + "\"readiness\":\"/readyz\",\"health\":\"/health/detailed\"}}";

  private final Catalogue catalogue;

  /**
   * Creates the controller.
   *
   * @param catalogue the in-memory catalogue
   */
  public CatalogController(Catalogue catalogue) {
    this.catalogue = catalogue;
  }

  /**
   * The service index.
   *
   * @return service name, version and links, as JSON (the same body as vigil's {@code GET /})
   */
  @GetMapping(value = "/", produces = MediaType.APPLICATION_JSON_VALUE)
  public String index() {
    return SERVICE_INFO;
  }

  /**
   * One product.
   *
   * @param id product id from the path
   * @return the product as JSON
   * @throws ResponseStatusException 404 when no product has this id
   */
  @GetMapping("/api/products/{id}")
  public Product product(@PathVariable long id) {
    return catalogue
        .find(id)
        .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product with id " + id));
  }
}
