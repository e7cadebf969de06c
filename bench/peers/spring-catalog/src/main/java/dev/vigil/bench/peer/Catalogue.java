package dev.vigil.bench.peer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The deterministic starting catalogue of vigil's catalog service (its StartingCatalogue), held
 * in a map: vigil answers the benchmarked reads from a Caffeine cache hit, so both sides read memory.
 */
@Component
public class Catalogue {

  /** The twelve categories, in the catalog service's order: category = CATEGORIES[(id - 1) % 12]. */
  static final List<String> CATEGORIES =
      List.of(
          "Books", "Electronics", "Home", "Garden", "Toys", "Sports",
          "Clothing", "Beauty", "Grocery", "Music", "Office", "Automotive");

  /** Number of products in the starting catalogue (ids 1..SIZE). */
  static final int SIZE = 1000;

  private final Map<Long, Product> products = new ConcurrentHashMap<>();

  /** Builds products 1..1000 with the contract's formulas for name, category, price and stock. */
  public Catalogue() {
    for (long id = 1; id <= SIZE; id++) {
      String category = CATEGORIES.get((int) ((id - 1) % CATEGORIES.size()));
      products.put(
          id,
          new Product(id, category + " item " + id, category, 499 + (id * 37) % 20000, (int) (100 + id % 50)));
    }
  }

  /**
   * Looks a product up.
   *
   * @param id product id
   * @return the product, or empty when no product has this id
   */
  public Optional<Product> find(long id) {
    return Optional.ofNullable(products.get(id));
  }
}
