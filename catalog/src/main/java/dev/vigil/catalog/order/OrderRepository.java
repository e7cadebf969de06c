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
 * Orders in the database. Reserving an order checks and decrements the stock of every line and stores
 * the order as {@code pending} in ONE transaction: either all of it happens or none, and concurrent
 * orders never take more stock than there is (the decrement is conditional on {@code stock >= quantity}, lines are locked
 * in ascending product id so two orders cannot deadlock, and a CHECK constraint backs it up).
 *
 * <p>A reserved order then ends in one of two states, never half-done: {@link #confirm} once it is
 * paid ({@code confirmed}), or {@link #failPayment} when the payment failed: its stock goes back and the
 * order stays as {@code payment_failed}, in one transaction.
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

  /**
   * @param db the database
   */
  public OrderRepository(Database db) {
    this.db = db;
    this.decrementStock = db.statement("product_stock_decrement",
        "UPDATE products SET stock = stock - ? WHERE id = ? AND stock >= ?");
    this.stockOf = db.statement("product_stock_by_id", "SELECT stock FROM products WHERE id = ?");
    this.priceOf = db.statement("product_price_by_id", "SELECT price_cents FROM products WHERE id = ?");
    this.insertOrder = db.insertReturningId("order_insert",
        "INSERT INTO orders (status, payment_method, total_cents) VALUES (?, ?, ?)");
    this.insertLine = db.statement("order_item_insert",
        "INSERT INTO order_items (order_id, product_id, quantity, price_cents) VALUES (?, ?, ?, ?)");
    this.orderById = db.statement("order_by_id",
        "SELECT id, status, payment_method, total_cents FROM orders WHERE id = ?");
    this.linesOf = db.statement("order_items_by_order",
        "SELECT product_id, quantity, price_cents FROM order_items WHERE order_id = ? ORDER BY product_id");
    this.restoreStock = db.statement("product_stock_restore", "UPDATE products SET stock = stock + ? WHERE id = ?");
    this.setStatus = db.statement("order_status_update", "UPDATE orders SET status = ? WHERE id = ? AND status = ?");
  }

  /**
   * Reserves an order: takes the stock of every line and stores the order as {@code pending}.
   *
   * @param quantities units wanted per product id, iterated in ascending product id
   * @param fieldOf the request field naming each product id, for error messages
   * @param paymentMethod the payment method label
   * @return the pending order, committed
   * @throws ProblemException 422 when a product does not exist, 409 when one has too little stock;
   *     nothing is changed then
   * @throws SQLException on database failure; nothing is changed then
   */
  public Order reserve(Map<Long, Integer> quantities, Map<Long, String> fieldOf, String paymentMethod)
      throws SQLException {
    return db.transaction(c -> {
      List<Order.Line> lines = new ArrayList<>();
      long total = 0;
      for (Map.Entry<Long, Integer> wanted : quantities.entrySet()) {
        long productId = wanted.getKey();
        int quantity = wanted.getValue();
        int updated = decrementStock.execute(c, ps -> {
          ps.setInt(1, quantity);
          ps.setLong(2, productId);
          ps.setInt(3, quantity);
          return ps.executeUpdate();
        });
        if (updated == 0) {
          Optional<Integer> stock = stockOf.execute(c, ps -> {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getInt(1)) : Optional.<Integer>empty();
            }
          });
          if (stock.isEmpty()) {
            throw ProblemException.invalidField(fieldOf.get(productId),
                "refers to product " + productId + ", which does not exist");
          }
          throw new ProblemException(Problem.of(409, "product " + productId + " has " + stock.get()
                  + " in stock but " + quantity + " were requested: order at most " + stock.get())
              .with("product_id", productId)
              .with("available", stock.get()));
        }
        long price = priceOf.execute(c, ps -> {
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
      long orderId = insertOrder.execute(c, ps -> {
        ps.setString(1, Order.PENDING);
        ps.setString(2, paymentMethod);
        ps.setLong(3, orderTotal);
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      });
      insertLine.execute(c, ps -> {
        for (Order.Line line : lines) {
          ps.setLong(1, orderId);
          ps.setLong(2, line.productId());
          ps.setInt(3, line.quantity());
          ps.setLong(4, line.priceCents());
          ps.addBatch();
        }
        return ps.executeBatch();
      });
      return new Order(orderId, Order.PENDING, paymentMethod, orderTotal, List.copyOf(lines));
    });
  }

  /**
   * Marks a paid order confirmed.
   *
   * @param order a pending order
   * @return the order as confirmed
   * @throws SQLException on database failure
   */
  public Order confirm(Order order) throws SQLException {
    db.read(c -> setStatus.execute(c, ps -> {
      ps.setString(1, Order.CONFIRMED);
      ps.setLong(2, order.id());
      ps.setString(3, Order.PENDING);
      return ps.executeUpdate();
    }));
    return new Order(order.id(), Order.CONFIRMED, order.paymentMethod(), order.totalCents(), order.items());
  }

  /**
   * Undoes a reservation whose payment failed, in one transaction: every line's stock goes back and the
   * order is marked {@code payment_failed} (kept, so the attempt stays visible).
   *
   * @param order a pending order
   * @throws SQLException on database failure; nothing is changed then
   */
  public void failPayment(Order order) throws SQLException {
    db.transaction(c -> {
      int updated = setStatus.execute(c, ps -> {
        ps.setString(1, Order.PAYMENT_FAILED);
        ps.setLong(2, order.id());
        ps.setString(3, Order.PENDING);
        return ps.executeUpdate();
      });
      if (updated == 1) {
        restoreStock.execute(c, ps -> {
          for (Order.Line line : order.items()) {
            ps.setInt(1, line.quantity());
            ps.setLong(2, line.productId());
            ps.addBatch();
          }
          return ps.executeBatch();
        });
      }
      return updated;
    });
  }

  /**
   * Finds one order with its lines.
   *
   * @param id the order id
   * @return the order, or empty when none has this id
   * @throws SQLException on database failure
   */
  public Optional<Order> findById(long id) throws SQLException {
    return db.read(c -> {
      Optional<Order> head = orderById.execute(c, ps -> {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next()
              ? Optional.of(new Order(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), List.of()))
              : Optional.<Order>empty();
        }
      });
      if (head.isEmpty()) {
        return head;
      }
      List<Order.Line> lines = linesOf.execute(c, ps -> {
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
      return Optional.of(new Order(o.id(), o.status(), o.paymentMethod(), o.totalCents(), List.copyOf(lines)));
    });
  }
}
