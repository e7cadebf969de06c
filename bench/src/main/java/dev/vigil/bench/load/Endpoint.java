package dev.vigil.bench.load;

/**
 * A benchmarked request, served by vigil and by the Spring peer alike.
 *
 * @param label what the tables show, e.g. {@code GET /api/products/{id}}
 * @param path the path requested, e.g. {@code /api/products/42}
 */
public record Endpoint(String label, String path) {

  /** One product by id; product 42 is requested throughout, so vigil answers from a cache hit. */
  public static final Endpoint PRODUCT = new Endpoint("GET /api/products/{id}", "/api/products/42");

  /** The service index. */
  public static final Endpoint INDEX = new Endpoint("GET /", "/");
}
