package dev.vigil.catalog.product;

import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.NamedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Products in the database, through named statements. */
public final class ProductRepository {

  private static final String COLUMNS = "id, name, category, price_cents, stock";

  private final Database db;
  private final NamedStatement byId;
  private final NamedStatement page;
  private final NamedStatement pageByCategory;
  private final NamedStatement insert;

  /**
   * @param db the database
   */
  public ProductRepository(Database db) {
    this.db = db;
    this.byId = db.statement("product_by_id", "SELECT " + COLUMNS + " FROM products WHERE id = ?");
    this.page =
        db.statement(
            "product_list", "SELECT " + COLUMNS + " FROM products ORDER BY id LIMIT ? OFFSET ?");
    this.pageByCategory =
        db.statement(
            "product_list_by_category",
            "SELECT " + COLUMNS + " FROM products WHERE category = ? ORDER BY id LIMIT ? OFFSET ?");
    this.insert =
        db.insertReturningId(
            "product_insert",
            "INSERT INTO products (name, category, price_cents, stock) VALUES (?, ?, ?, ?)");
  }

  /**
   * Finds one product.
   *
   * @param id the product id
   * @return the product, or empty when no product has this id
   * @throws SQLException on database failure
   */
  public Optional<Product> findById(long id) throws SQLException {
    return db.read(
        c ->
            byId.execute(
                c,
                ps -> {
                  ps.setLong(1, id);
                  try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                  }
                }));
  }

  /**
   * Lists products by ascending id.
   *
   * @param category a category to filter on, or {@code null} for all
   * @param limit at most this many products
   * @param offset skip this many first
   * @return the page, possibly empty
   * @throws SQLException on database failure
   */
  public List<Product> list(String category, int limit, int offset) throws SQLException {
    NamedStatement statement = category == null ? page : pageByCategory;
    return db.read(
        c ->
            statement.execute(
                c,
                ps -> {
                  int i = 1;
                  if (category != null) {
                    ps.setString(i++, category);
                  }
                  ps.setInt(i++, limit);
                  ps.setInt(i, offset);
                  List<Product> products = new ArrayList<>();
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      products.add(map(rs));
                    }
                  }
                  return products;
                }));
  }

  /**
   * Stores a new product.
   *
   * @param name display name
   * @param category category
   * @param priceCents price in cents
   * @param stock units in stock
   * @return the stored product with its new id
   * @throws SQLException on database failure
   */
  public Product create(String name, String category, long priceCents, int stock)
      throws SQLException {
    long id =
        db.read(
            c ->
                insert.execute(
                    c,
                    ps -> {
                      ps.setString(1, name);
                      ps.setString(2, category);
                      ps.setLong(3, priceCents);
                      ps.setInt(4, stock);
                      ps.executeUpdate();
                      try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        return keys.getLong(1);
                      }
                    }));
    return new Product(id, name, category, priceCents, stock);
  }

  static Product map(ResultSet rs) throws SQLException {
    return new Product(
        rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5));
  }
}
