package dev.vigil.catalog.product;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A product as served by the API.
 *
 * @param id positive identifier
 * @param name display name, 1..200 characters
 * @param category one of {@link StartingCatalogue#CATEGORIES}
 * @param priceCents price in cents (minor currency units), >= 0
 * @param stock units in stock, >= 0
 */
public record Product(
    long id,
    String name,
    String category,
    @JsonProperty("price_cents") long priceCents,
    int stock) {}
