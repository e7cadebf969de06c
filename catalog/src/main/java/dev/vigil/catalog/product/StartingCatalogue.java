package dev.vigil.catalog.product;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * The starting catalogue, loaded once as schema version 2: products 1..{@value #SIZE},
 * deterministic.
 *
 * <p>Product {@code id}: category {@code CATEGORIES[(id - 1) % 12]}, name {@code "<Category> item
 * <id>"}, price {@code 499 + (id * 37) % 20000} cents, stock {@code 100 + id % 50}. Products
 * created later through the API get ids from {@value #SIZE} + 1 on.
 */
public final class StartingCatalogue implements JavaMigration {

  /** Number of products in the starting catalogue. */
  public static final int SIZE = 1000;

  /** The twelve categories, in the order the id formula indexes them. */
  public static final List<String> CATEGORIES =
      List.of(
          "Books",
          "Electronics",
          "Home",
          "Garden",
          "Toys",
          "Sports",
          "Clothing",
          "Beauty",
          "Grocery",
          "Music",
          "Office",
          "Automotive");

  /**
   * The starting state of one product.
   *
   * @param id 1..{@value #SIZE}
   * @return the product as first loaded
   */
  public static Product product(long id) {
    String category = CATEGORIES.get((int) ((id - 1) % CATEGORIES.size()));
    return new Product(
        id, category + " item " + id, category, 499 + (id * 37) % 20000, (int) (100 + id % 50));
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("2");
  }

  @Override
  public String getDescription() {
    return "starting catalogue";
  }

  @Override
  public Integer getChecksum() {
    return SIZE;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }

  @Override
  public void migrate(Context context) throws Exception {
    try (PreparedStatement insert =
        context
            .getConnection()
            .prepareStatement(
                "INSERT INTO products (id, name, category, price_cents, stock) VALUES (?, ?, ?, ?, ?)")) {
      for (long id = 1; id <= SIZE; id++) {
        Product p = product(id);
        insert.setLong(1, p.id());
        insert.setString(2, p.name());
        insert.setString(3, p.category());
        insert.setLong(4, p.priceCents());
        insert.setInt(5, p.stock());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (Statement restart = context.getConnection().createStatement()) {
      restart.execute("ALTER TABLE products ALTER COLUMN id RESTART WITH " + (SIZE + 1));
    }
  }
}
