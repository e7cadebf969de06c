package dev.vigil.catalog.product;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.ProblemException;
import dev.vigil.telemetry.http.RequestParams;
import io.javalin.http.Context;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP handlers of {@code /api/products}. */
public final class ProductApi {

  /** Largest page size of {@code GET /api/products}. */
  public static final int MAX_LIMIT = 100;

  /** The body of {@code POST /api/products}; all fields required. */
  record NewProduct(
      String name, String category, @JsonProperty("price_cents") Long priceCents, Integer stock) {}

  private final ProductRepository repository;
  private final ProductCache cache;

  /**
   * @param repository products in the database
   * @param cache products by id
   */
  public ProductApi(ProductRepository repository, ProductCache cache) {
    this.repository = repository;
    this.cache = cache;
  }

  /**
   * {@code GET /api/products?category=&limit=&offset=}: a page of products by id.
   *
   * @param ctx the request; {@code limit} 1..100 (default 20), {@code offset} 0..1000000 (default
   *     0), {@code category} optional, one of the twelve categories
   * @throws SQLException on database failure (500)
   */
  public void list(Context ctx) throws SQLException {
    String category = ctx.queryParam("category");
    if (category != null && category.isEmpty()) {
      category = null;
    }
    if (category != null) {
      validateCategory(category, "category");
    }
    int limit = RequestParams.queryInt(ctx, "limit", 20, 1, MAX_LIMIT);
    int offset = RequestParams.queryInt(ctx, "offset", 0, 0, 1_000_000);
    List<Product> items = repository.list(category, limit, offset);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("count", items.size());
    body.put("limit", limit);
    body.put("offset", offset);
    ctx.json(body);
  }

  /**
   * {@code GET /api/products/{id}}: one product, through the cache; 404 when unknown. An answer
   * from the cache says how old it is: {@code Age} (RFC 9111, seconds since it was read from the
   * database) and {@code Cache-Status} (RFC 9211) with {@code ttl}, the seconds it stays fresh,
   * negative when it is served stale because the database cannot answer.
   *
   * @param ctx the request
   * @throws SQLException on database failure with no cached entry to stand in (503 when the
   *     database is unavailable)
   */
  public void get(Context ctx) throws SQLException {
    long id = RequestParams.pathId(ctx, "id");
    ProductCache.ProductRead read =
        cache
            .get(id)
            .orElseThrow(() -> ProblemException.notFound("product " + id + " does not exist"));
    if (read.source() != ProductCache.Source.DATABASE) {
      long age = read.age().toSeconds();
      long ttl = ProductCache.TIME_TO_LIVE.toSeconds() - age;
      ctx.header("Age", Long.toString(age));
      ctx.header(
          "Cache-Status",
          read.source() == ProductCache.Source.STALE
              ? "catalog; hit; ttl=" + ttl + "; detail=\"database unavailable\""
              : "catalog; hit; ttl=" + ttl);
    }
    ctx.json(read.product());
  }

  /**
   * {@code POST /api/products}: creates a product; 201 with its {@code Location}.
   *
   * @param ctx the request with a JSON body {@code {"name","category","price_cents","stock"}}
   * @throws SQLException on database failure (500)
   */
  public void create(Context ctx) throws SQLException {
    NewProduct body = JsonBody.read(ctx, NewProduct.class);
    if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      throw ProblemException.invalidField("name", "is required: 1 to 200 characters");
    }
    if (body.category() == null) {
      throw ProblemException.invalidField(
          "category", "is required: one of " + StartingCatalogue.CATEGORIES);
    }
    validateCategory(body.category(), "category");
    if (body.priceCents() == null || body.priceCents() < 0 || body.priceCents() > 100_000_000L) {
      throw ProblemException.invalidField(
          "price_cents", "is required: an integer from 0 to 100000000 (cents)");
    }
    if (body.stock() == null || body.stock() < 0 || body.stock() > 1_000_000) {
      throw ProblemException.invalidField("stock", "is required: an integer from 0 to 1000000");
    }
    Product created =
        repository.create(body.name().strip(), body.category(), body.priceCents(), body.stock());
    ctx.status(201).header("Location", "/api/products/" + created.id()).json(created);
  }

  private static void validateCategory(String category, String field) {
    if (!StartingCatalogue.CATEGORIES.contains(category)) {
      throw ProblemException.invalidField(field, "must be one of " + StartingCatalogue.CATEGORIES);
    }
  }
}
