package dev.vigil.catalog.shop;

import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The catalog's storefront, a real user flow to measure: a product list ({@code GET /shop}), a
 * product page with an order button ({@code GET /shop/products/{id}}) and their scripts ({@code GET
 * /shop/assets/{file}}: {@code shop.js} and Google's {@code web-vitals} library, vendored). Plain
 * HTML and JavaScript read once from the classpath ({@code dev/vigil/catalog/shop/}), no build
 * step; the pages call the catalog's API and report what their users experienced to {@code
 * /rum/beacon} (see {@link dev.vigil.catalog.rum.RumBeacon}).
 */
public final class Storefront {

  private static final String BASE = "/dev/vigil/catalog/shop/";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String JS = "text/javascript; charset=utf-8";

  /** The assets served, by file name, with their media types. */
  private static final Map<String, String> ASSETS =
      Map.of(
          "shop.js", JS,
          "web-vitals.iife.js", JS,
          "web-vitals.LICENSE.txt", "text/plain; charset=utf-8");

  private final byte[] productsPage = load("products.html");
  private final byte[] productPage = load("product.html");
  private final Map<String, byte[]> assets =
      Map.of(
          "shop.js",
          load("shop.js"),
          "web-vitals.iife.js",
          load("web-vitals.iife.js"),
          "web-vitals.LICENSE.txt",
          load("web-vitals.LICENSE.txt"));

  /**
   * Reads the pages and assets from the classpath.
   *
   * @throws IllegalStateException when one is missing from the build
   */
  public Storefront() {}

  /** {@code GET /shop}: the product list. */
  public void products(Context ctx) {
    ctx.contentType(HTML).header("Cache-Control", "no-cache").result(productsPage);
  }

  /**
   * {@code GET /shop/products/{id}}: the product page (its script loads the product).
   *
   * @throws ProblemException 404 when {@code id} is not a positive number
   */
  public void product(Context ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("[1-9][0-9]{0,17}")) {
      throw ProblemException.notFound(
          "no product page '" + id + "': product ids are positive numbers, see /shop");
    }
    ctx.contentType(HTML).header("Cache-Control", "no-cache").result(productPage);
  }

  /**
   * {@code GET /shop/assets/{file}}: one of the storefront's scripts.
   *
   * @throws ProblemException 404 naming the files served when {@code file} is not one of them
   */
  public void asset(Context ctx) {
    String file = ctx.pathParam("file");
    byte[] body = assets.get(file);
    if (body == null) {
      throw ProblemException.notFound(
          "no storefront asset '" + file + "': the assets are " + ASSETS.keySet());
    }
    ctx.contentType(ASSETS.get(file)).header("Cache-Control", "max-age=300").result(body);
  }

  private static byte[] load(String name) {
    try (InputStream in = Storefront.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("storefront resource " + BASE + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read storefront resource " + BASE + name, e);
    }
  }
}
