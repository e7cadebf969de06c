package dev.vigil.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The provider's book of payments, one per idempotency key: capture, look-up, void. Every operation
 * is atomic per ledger, so a capture and a void of one key never both win: once a key is voided, it
 * can never capture (a late retry of a payment the caller gave up on is refused), and voiding a
 * captured payment refunds it. The last {@value #REMEMBERED_KEYS} keys are held in memory (about
 * 250 MB at most): a forgotten key would read as "never captured" to a caller reconciling against
 * it, so the bound is far above what a caller leaves unresolved between two reconciliations.
 *
 * <p>A ledger {@link #open opened} on a file is durable: every change is appended to the file as
 * one JSON line (the payment as it now stands) and forced to the disk ({@link FileChannel#force})
 * before the method returns, so before the caller is answered. Opening replays the file, so a
 * provider killed with SIGKILL and restarted knows every payment it acknowledged, and payment ids
 * continue after the highest one in the file: an id is never given twice. A last line cut short by
 * a crash (the write was never acknowledged) is dropped and cut off the file; any other unreadable
 * line stops the opening. The file only grows (one line per capture or void, about 250 bytes). A
 * ledger made with {@link #Ledger()} keeps everything in memory, for tests.
 */
public final class Ledger implements AutoCloseable {

  /** What {@link #capture} did. */
  public sealed interface Outcome {}

  /** A new payment was captured. */
  public record Captured(Payment payment) implements Outcome {}

  /** The key had captured this payment before: nothing new was charged. */
  public record Replayed(Payment payment) implements Outcome {}

  /** The key was used before with a different amount, currency or method: nothing was charged. */
  public record Conflict(Payment earlier) implements Outcome {}

  /** The key was voided: nothing was charged. */
  public record Voided(Payment payment) implements Outcome {}

  /** How many keys are remembered (oldest forgotten first). */
  public static final int REMEMBERED_KEYS = 1_000_000;

  private final Map<String, Payment> byKey =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Payment> eldest) {
          return size() > REMEMBERED_KEYS;
        }
      };
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileChannel journal;
  private long lastId;

  /** A ledger in memory only: lost when the process ends. */
  public Ledger() {
    this.journal = null;
  }

  private Ledger(FileChannel journal) {
    this.journal = journal;
  }

  /**
   * Opens a durable ledger on a file, creating it (and its directory) when missing, and replays it.
   *
   * @param file the journal, e.g. {@code $VIGIL_DATA_DIR/payments/ledger.jsonl}
   * @return the ledger holding every payment the file records
   * @throws UncheckedIOException when the file cannot be read or written
   * @throws IllegalStateException naming the file and line when a line other than the last cannot
   *     be read (a damaged journal: the provider must not start and forget payments)
   */
  public static Ledger open(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      FileChannel channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      Ledger ledger = new Ledger(channel);
      try {
        ledger.replay(file, channel);
      } catch (RuntimeException | IOException e) {
        channel.close();
        throw e;
      }
      return ledger;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the payments ledger " + file + ": " + e, e);
    }
  }

  private void replay(Path file, FileChannel channel) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int start = 0;
    int line = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      line++;
      if (end == bytes.length) {
        // no newline: a write cut short by a crash, never acknowledged; cut it off
        channel.truncate(start);
        break;
      }
      Payment payment;
      try {
        payment = JSON.readValue(bytes, start, end - start, Payment.class);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(
            "the payments ledger "
                + file
                + " cannot be read at line "
                + line
                + " ("
                + e.getOriginalMessage()
                + "); restore it from a backup, the provider will not start without it",
            e);
      }
      byKey.put(payment.idempotencyKey(), payment);
      lastId = Math.max(lastId, idNumber(payment.id()));
      start = end + 1;
    }
    channel.position(channel.size());
    channel.force(true);
  }

  private static long idNumber(String id) {
    if (id == null || !id.startsWith("pay_")) {
      return 0;
    }
    try {
      return Long.parseLong(id.substring(4));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Records the payment as it now stands: in memory, and forced to the journal's disk. */
  private void record(Payment payment) {
    if (journal != null) {
      long before = -1;
      try {
        before = journal.position();
        byte[] line = JSON.writeValueAsBytes(payment);
        ByteBuffer buffer = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (buffer.hasRemaining()) {
          journal.write(buffer);
        }
        journal.force(false);
      } catch (IOException e) {
        if (before >= 0) {
          try {
            journal.truncate(before); // no half line for the next append to follow
          } catch (IOException ignored) {
            // the opening drops a last line cut short
          }
        }
        throw new UncheckedIOException("cannot write the payments ledger: " + e, e);
      }
    }
    byKey.put(payment.idempotencyKey(), payment);
  }

  /** Closes the journal; a ledger in memory has nothing to close. */
  @Override
  public synchronized void close() {
    if (journal != null) {
      try {
        journal.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close the payments ledger: " + e, e);
      }
    }
  }

  /**
   * Captures a payment once per key.
   *
   * @param key the caller's idempotency key
   * @param amountCents amount in cents, > 0
   * @param currency ISO 4217 code
   * @param method payment method
   * @param reference the caller's reference, or {@code null}
   * @return captured, replayed, conflict or voided; a capture is on the disk when this returns
   * @throws UncheckedIOException when the journal cannot be written (nothing was captured)
   */
  public synchronized Outcome capture(
      String key, long amountCents, String currency, String method, String reference) {
    Payment earlier = byKey.get(key);
    if (earlier == null) {
      Payment created =
          new Payment(
              "pay_" + (lastId + 1),
              Payment.CAPTURED,
              amountCents,
              currency,
              method,
              reference,
              key);
      record(created);
      lastId++;
      return new Captured(created);
    }
    if (!earlier.status().equals(Payment.CAPTURED)) {
      return new Voided(earlier);
    }
    if (earlier.amountCents() != amountCents
        || !earlier.currency().equals(currency)
        || !earlier.method().equals(method)) {
      return new Conflict(earlier);
    }
    return new Replayed(earlier);
  }

  /**
   * Every payment the ledger remembers, for reconciliation checks and drills.
   *
   * @return a copy, in the order the keys were first seen
   */
  public synchronized java.util.List<Payment> payments() {
    return java.util.List.copyOf(byKey.values());
  }

  /**
   * The payment of a key.
   *
   * @param key an idempotency key
   * @return the payment (captured, refunded or voided), or empty when the key was never seen
   */
  public synchronized Optional<Payment> find(String key) {
    return Optional.ofNullable(byKey.get(key));
  }

  /**
   * Voids a key: refunds its captured payment, or, when nothing was captured, records the key as
   * voided so that no later capture can succeed under it. Idempotent.
   *
   * @param key an idempotency key
   * @param currency the currency recorded for a key voided before any capture
   * @return the payment as it now stands: {@link Payment#REFUNDED} or {@link Payment#VOIDED}, on
   *     the disk when this returns
   * @throws UncheckedIOException when the journal cannot be written (nothing changed)
   */
  public synchronized Payment voidKey(String key, String currency) {
    Payment earlier = byKey.get(key);
    Payment now =
        earlier == null
            ? new Payment(null, Payment.VOIDED, 0, currency, null, null, key)
            : earlier.status().equals(Payment.CAPTURED)
                ? earlier.withStatus(Payment.REFUNDED)
                : earlier;
    if (now != earlier) {
      record(now);
    }
    return now;
  }
}
