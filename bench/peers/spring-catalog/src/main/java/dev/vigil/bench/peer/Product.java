package dev.vigil.bench.peer;

/**
 * One product of the catalogue, serialized in snake_case like vigil's catalog.
 *
 * @param id product id, 1..1000
 * @param name "{@code <Category> item <id>}"
 * @param category one of {@link Catalogue#CATEGORIES}
 * @param priceCents price in cents
 * @param stock units in stock
 */
public record Product(long id, String name, String category, long priceCents, int stock) {}
