package dev.vigil.bench.peer;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The two benchmarked endpoints, mirroring vigil's catalog: the service index and one product by id. */
@RestController
public class CatalogController {

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
   * @return service name, status and the number of products, as JSON
   */
  @GetMapping("/")
  public Map<String, Object> index() {
    return Map.of("service", "catalog", "status", "ok", "products", catalogue.size());
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
