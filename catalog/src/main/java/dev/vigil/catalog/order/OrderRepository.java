package dev.vigil.catalog.order;

import dev.vigil.catalog.db.Database;
import dev.vigil.catalog.db.NamedStatement;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders in the database. Reserving an order checks and decrements the stock of every line and
 * stores the order as {@code pending} in ONE transaction: either all of it happens or none, and
 * concurrent orders never take more stock than there is (the decrement is conditional on {@code
 * stock >= quantity}, lines are locked in ascending product id so two orders cannot deadlock, and a
 * CHECK constraint backs it up).
 *
 * <p>A pending order then ends in one final state, never half-done, by a transition that is
 * conditional on the order still being {@code pending}: whoever comes second (the request or the
 * reconciler) changes nothing and reads the state the first one left. {@link #confirm} once paid;
 * {@link #failPayment} or {@link #cancel}, which give its stock back in the same transaction.
 */
public final class OrderRepository {

  private final Database db;
  private final NamedStatement decrementStock;
  private final NamedStatement stockOf;
  private final NamedStatement priceOf;
  private final NamedStatement insertOrder;
  private final NamedStatement insertLine;
  private final NamedStatement orderById;
  private final NamedStatement linesOf;
  private final NamedStatement restoreStock;
  private final NamedStatement setStatus;
  private final NamedStatement confirmPaid;
  private final NamedStatement byClientKey;
  private final NamedStatement pendingBefore;
  private final NamedStatement countPendingBefore;
  private final NamedStatement releaseClientKey;
  private final NamedStatement confirmedAfter;

  /**
   * @param db the database
   */
  public OrderRepository(Database db) {
    this.db = db;
    this.decrementStock =
        db.statement(
            "product_stock_decrement",
            "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?");
    this.stockOf = db.statement("product_stock_by_id", "SELECT stock FROM products WHERE id = ?");
    this.priceOf =
        db.statement("product_price_by_id", "SELECT price_cents FROM products WHERE id = ?");
    this.insertOrder =
        db.insertReturningId(
            "order_insert",
            "INSERT INTO orders (status, payment_method, total_cents, payment_key, client_key, request_hash, updated_at_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.insertLine =
        db.statement(
            "order_item_insert",
            "INSERT INTO order_items (order_id, product_id, quantity, price_cents) VALUES (?, ?, ?, ?)");
    this.orderById =
        db.statement(
            "order_by_id",
            "SELECT id, status, payment_method, total_cents, payment_key FROM orders WHERE id = ?");
    this.linesOf =
        db.statement(
            "order_items_by_order",
            "SELECT product_id, quantity, price_cents FROM order_items WHERE order_id = ? ORDER BY product_id");
    this.restoreStock =
        db.statement("product_stock_restore", "UPDATE products SET stock = stock + ? WHERE id = ?");
    this.setStatus =
        db.statement(
            "order_status_update",
            "UPDATE orders SET status = ?, updated_at_ms = ? WHERE id = ? AND status = ?");
    this.confirmPaid =
        db.statement(
            "order_confirm",
            "UPDATE orders SET status = ?, payment_id = ?, updated_at_ms = ? WHERE id = ? AND status = ?");
    this.byClientKey =
        db.statement(
            "order_by_client_key", "SELECT id, request_hash FROM orders WHERE client_key = ?");
    this.pendingBefore =
        db.statement(
            "orders_pending_before",
            "SELECT id FROM orders WHERE status = ? AND updated_at_ms < ? ORDER BY updated_at_ms, id");
    this.countPendingBefore =
        db.statement(
            "orders_pending_count_before",
            "SELECT COUNT(*) FROM orders WHERE status = ? AND updated_at_ms < ?");
    this.releaseClientKey =
        db.statement(
            "order_client_key_release", "UPDATE orders SET client_key = NULL WHERE id = ?");
    this.confirmedAfter =
        db.statement(
            "orders_confirmed_after",
            "SELECT id, payment_key FROM orders WHERE status = ? AND id > ? ORDER BY id LIMIT ?");
  }

  /**
   * A confirmed order and the key its payment was captured under.
   *
   * @param orderId the order
   * @param paymentKey the payment's idempotency key at the provider
   */
  public record Confirmed(long orderId, String paymentKey) {}

  /**
   * Confirmed orders after an id, in id order, for a sweep that re-checks them a batch at a time.
   *
   * @param afterId only orders with a larger id; 0 for the first batch
   * @param limit most orders returned, >= 1
   * @return the orders and their payment keys
   * @throws SQLException on database failure
   */
  public List<Confirmed> confirmedAfter(long afterId, int limit) throws SQLException {
    return db.read(
        c ->
            confirmedAfter.execute(
                c,
                ps -> {
                  ps.setString(1, Order.CONFIRMED);
                  ps.setLong(2, afterId);
                  ps.setInt(3, limit);
                  List<Confirmed> found = new ArrayList<>();
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      found.add(new Confirmed(rs.getLong(1), rs.getString(2)));
                    }
                  }
                  return found;
                }));
  }

  /**
   * An order found by the client's {@code Idempotency-Key}.
   *
   * @param orderId the order
   * @param requestHash SHA-256 (hex) of the request that created it
   */
  public record Keyed(long orderId, String requestHash) {}

  /**
   * Reserves an order: takes the stock of every line and stores the order as {@code pending}.
   *
   * @param quantities units wanted per product id, iterated in ascending product id
   * @param fieldOf the request field naming each product id, for error messages
   * @param paymentMethod the payment method label
   * @param paymentKey the idempotency key of its payment (a UUID)
   * @param clientKey the client's {@code Idempotency-Key}, or {@code null}
   * @param requestHash SHA-256 (hex) of the request, or {@code null} without client key
   * @param nowMs the current time, epoch milliseconds
   * @return the pending order, committed
   * @throws ProblemException 422 when a product does not exist, 409 when one has too little stock;
   *     nothing is changed then
   * @throws SQLException on database failure, or SQLState 23505 when another order holds {@code
   *     clientKey}; nothing is changed then
   */
  public Order reserve(
      Map<Long, Integer> quantities,
      Map<Long, String> fieldOf,
      String paymentMethod,
      String paymentKey,
      String clientKey,
      String requestHash,
      long nowMs)
      throws SQLException {
    return db.transaction(
        c -> {
          List<Order.Line> lines = new ArrayList<>();
          long total = 0;
          for (Map.Entry<Long, Integer> wanted : quantities.entrySet()) {
            long productId = wanted.getKey();
            int quantity = wanted.getValue();
            int updated =
                decrementStock.execute(
                    c,
                    ps -> {
                      ps.setInt(1, quantity);
                      ps.setLong(2, productId);
                      ps.setInt(3, quantity);
                      return ps.executeUpdate();
                    });
            if (updated == 0) {
              Optional<Integer> stock =
                  stockOf.execute(
                      c,
                      ps -> {
                        ps.setLong(1, productId);
                        try (ResultSet rs = ps.executeQuery()) {
                          return rs.next() ? Optional.of(rs.getInt(1)) : Optional.<Integer>empty();
                        }
                      });
              if (stock.isEmpty()) {
                throw ProblemException.invalidField(
                    fieldOf.get(productId),
                    "refers to product " + productId + ", which does not exist");
              }
              throw new ProblemException(
                  Problem.of(
                          409,
                          "product "
                              + productId
                              + " has "
                              + stock.get()
                              + " in stock but "
                              + quantity
                              + " were requested: order at most "
                              + stock.get())
                      .with("product_id", productId)
                      .with("available", stock.get()));
            }
            long price =
                priceOf.execute(
                    c,
                    ps -> {
                      ps.setLong(1, productId);
                      try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                      }
                    });
            lines.add(new Order.Line(productId, quantity, price));
            total += price * quantity;
          }
          long orderTotal = total;
          long orderId =
              insertOrder.execute(
                  c,
                  ps -> {
                    ps.setString(1, Order.PENDING);
                    ps.setString(2, paymentMethod);
                    ps.setLong(3, orderTotal);
                    ps.setString(4, paymentKey);
                    ps.setString(5, clientKey);
                    ps.setString(6, requestHash);
                    ps.setLong(7, nowMs);
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                      keys.next();
                      return keys.getLong(1);
                    }
                  });
          insertLine.execute(
              c,
              ps -> {
                for (Order.Line line : lines) {
                  ps.setLong(1, orderId);
                  ps.setLong(2, line.productId());
                  ps.setInt(3, line.quantity());
                  ps.setLong(4, line.priceCents());
                  ps.addBatch();
                }
                return ps.executeBatch();
              });
          return new Order(
              orderId, Order.PENDING, paymentMethod, orderTotal, List.copyOf(lines), paymentKey);
        });
  }

  /**
   * Confirms a pending order on its captured payment.
   *
   * @param order a pending order
   * @param paymentId the provider's payment id
   * @param nowMs the current time, epoch milliseconds
   * @return whether this call confirmed it ({@code false}: it was no longer pending)
   * @throws SQLException on database failure; nothing is changed then
   */
  public boolean confirm(Order order, String paymentId, long nowMs) throws SQLException {
    return db.read(
            c ->
                confirmPaid.execute(
                    c,
                    ps -> {
                      ps.setString(1, Order.CONFIRMED);
                      ps.setString(2, paymentId);
                      ps.setLong(3, nowMs);
                      ps.setLong(4, order.id());
                      ps.setString(5, Order.PENDING);
                      return ps.executeUpdate();
                    }))
        == 1;
  }

  /**
   * Ends a pending order whose payment the provider answered it did not capture, in one
   * transaction: every line's stock goes back, the order becomes {@code payment_failed} (kept, so
   * the attempt stays visible) and its client key is released, so the client's retry with that key
   * places a new attempt.
   *
   * @param order a pending order
   * @param nowMs the current time, epoch milliseconds
   * @return whether this call ended it ({@code false}: it was no longer pending)
   * @throws SQLException on database failure; nothing is changed then
   */
  public boolean failPayment(Order order, long nowMs) throws SQLException {
    return end(order, Order.PAYMENT_FAILED, nowMs, true);
  }

  /**
   * Cancels a pending order whose payment the reconciler voided or refunded, in one transaction:
   * every line's stock goes back and the order becomes {@code cancelled}.
   *
   * @param order a pending order
   * @param nowMs the current time, epoch milliseconds
   * @return whether this call cancelled it ({@code false}: it was no longer pending)
   * @throws SQLException on database failure; nothing is changed then
   */
  public boolean cancel(Order order, long nowMs) throws SQLException {
    return end(order, Order.CANCELLED, nowMs, false);
  }

  private boolean end(Order order, String status, long nowMs, boolean releaseKey)
      throws SQLException {
    return db.transaction(
        c -> {
          int updated =
              setStatus.execute(
                  c,
                  ps -> {
                    ps.setString(1, status);
                    ps.setLong(2, nowMs);
                    ps.setLong(3, order.id());
                    ps.setString(4, Order.PENDING);
                    return ps.executeUpdate();
                  });
          if (updated == 1) {
            restoreStock.execute(
                c,
                ps -> {
                  for (Order.Line line : order.items()) {
                    ps.setInt(1, line.quantity());
                    ps.setLong(2, line.productId());
                    ps.addBatch();
                  }
                  return ps.executeBatch();
                });
            if (releaseKey) {
              releaseClientKey.execute(
                  c,
                  ps -> {
                    ps.setLong(1, order.id());
                    return ps.executeUpdate();
                  });
            }
          }
          return updated == 1;
        });
  }

  /**
   * The order holding a client's {@code Idempotency-Key}.
   *
   * @param clientKey the key
   * @return the order id and request hash, or empty when no order holds the key
   * @throws SQLException on database failure
   */
  public Optional<Keyed> findByClientKey(String clientKey) throws SQLException {
    return db.read(
        c ->
            byClientKey.execute(
                c,
                ps -> {
                  ps.setString(1, clientKey);
                  try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                        ? Optional.of(new Keyed(rs.getLong(1), rs.getString(2)))
                        : Optional.<Keyed>empty();
                  }
                }));
  }

  /**
   * Ids of the orders still {@code pending} whose status last changed before a time, oldest first.
   *
   * @param beforeMs epoch milliseconds
   * @return order ids
   * @throws SQLException on database failure
   */
  public List<Long> pendingSince(long beforeMs) throws SQLException {
    return db.read(
        c ->
            pendingBefore.execute(
                c,
                ps -> {
                  ps.setString(1, Order.PENDING);
                  ps.setLong(2, beforeMs);
                  List<Long> ids = new ArrayList<>();
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      ids.add(rs.getLong(1));
                    }
                  }
                  return ids;
                }));
  }

  /**
   * How many orders are still {@code pending} since before a time.
   *
   * @param beforeMs epoch milliseconds
   * @return the count
   * @throws SQLException on database failure
   */
  public long countPendingSince(long beforeMs) throws SQLException {
    return db.read(
        c ->
            countPendingBefore.execute(
                c,
                ps -> {
                  ps.setString(1, Order.PENDING);
                  ps.setLong(2, beforeMs);
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                  }
                }));
  }

  /**
   * Finds one order with its lines.
   *
   * @param id the order id
   * @return the order, or empty when none has this id
   * @throws SQLException on database failure
   */
  public Optional<Order> findById(long id) throws SQLException {
    return db.read(
        c -> {
          Optional<Order> head =
              orderById.execute(
                  c,
                  ps -> {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                      return rs.next()
                          ? Optional.of(
                              new Order(
                                  rs.getLong(1),
                                  rs.getString(2),
                                  rs.getString(3),
                                  rs.getLong(4),
                                  List.of(),
                                  rs.getString(5)))
                          : Optional.<Order>empty();
                    }
                  });
          if (head.isEmpty()) {
            return head;
          }
          List<Order.Line> lines =
              linesOf.execute(
                  c,
                  ps -> {
                    ps.setLong(1, id);
                    List<Order.Line> found = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                      while (rs.next()) {
                        found.add(new Order.Line(rs.getLong(1), rs.getInt(2), rs.getLong(3)));
                      }
                    }
                    return found;
                  });
          Order o = head.get();
          return Optional.of(
              new Order(
                  o.id(),
                  o.status(),
                  o.paymentMethod(),
                  o.totalCents(),
                  List.copyOf(lines),
                  o.paymentKey()));
        });
  }
}
