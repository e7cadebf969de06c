package dev.vigil.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's promises to a caller reconciling payments, in one JVM: what a key answers after a
 * capture, a retry, a reuse and a void, and what a ledger reopened on its journal still knows (the
 * restart of a provider; {@code PaymentsCrashTest} kills a real one).
 */
class LedgerTest {

  @TempDir Path dir;

  @Test
  void aKeyReusedWithAnotherAmountCurrencyOrMethodIsAConflictAndChargesNothing() {
    try (Ledger ledger = new Ledger()) {
      Payment first = captured(ledger.capture("k", 1299, "USD", "card", "order-1"));

      assertThat(ledger.capture("k", 1300, "USD", "card", "order-1"))
          .isEqualTo(new Ledger.Conflict(first));
      assertThat(ledger.capture("k", 1299, "EUR", "card", "order-1"))
          .isEqualTo(new Ledger.Conflict(first));
      assertThat(ledger.capture("k", 1299, "USD", "paypal", "order-1"))
          .isEqualTo(new Ledger.Conflict(first));
      assertThat(ledger.capture("k", 1299, "USD", "card", "another reference"))
          .as("the reference is the caller's note, not part of the payment's identity")
          .isEqualTo(new Ledger.Replayed(first));
      assertThat(ledger.payments()).as("one payment however often the key came").hasSize(1);
    }
  }

  @Test
  void eachNewKeyGetsTheNextPaymentIdAndARetryAnswersTheSameOne() {
    try (Ledger ledger = new Ledger()) {
      Payment a = captured(ledger.capture("a", 100, "USD", "card", null));
      Payment b = captured(ledger.capture("b", 200, "GBP", "bank_transfer", "order-2"));

      assertThat(List.of(a.id(), b.id())).containsExactly("pay_1", "pay_2");
      assertThat(b)
          .isEqualTo(
              new Payment("pay_2", Payment.CAPTURED, 200, "GBP", "bank_transfer", "order-2", "b"));
      assertThat(ledger.capture("a", 100, "USD", "card", null)).isEqualTo(new Ledger.Replayed(a));
      assertThat(captured(ledger.capture("c", 300, "USD", "card", null)).id())
          .as("a replay takes no id")
          .isEqualTo("pay_3");
    }
  }

  @Test
  void voidingRefundsACaptureOnceAndAKeyVoidedFirstCanNeverCapture() {
    try (Ledger ledger = new Ledger()) {
      Payment paid = captured(ledger.capture("paid", 500, "EUR", "card", null));

      Payment refunded = ledger.voidKey("paid", "USD");
      assertThat(refunded).isEqualTo(paid.withStatus(Payment.REFUNDED));
      assertThat(ledger.voidKey("paid", "USD"))
          .as("voiding again changes nothing")
          .isEqualTo(refunded);
      assertThat(ledger.capture("paid", 500, "EUR", "card", null))
          .isEqualTo(new Ledger.Voided(refunded));

      Payment voided = ledger.voidKey("never-paid", "GBP");
      assertThat(voided)
          .isEqualTo(new Payment(null, Payment.VOIDED, 0, "GBP", null, null, "never-paid"));
      assertThat(ledger.capture("never-paid", 500, "GBP", "card", null))
          .isEqualTo(new Ledger.Voided(voided));
      assertThat(ledger.find("never-paid")).hasValue(voided);
      assertThat(ledger.find("unknown")).isEmpty();
    }
  }

  @Test
  void aReopenedLedgerKnowsEveryPaymentAndVoidAndNeverGivesAnIdTwice() throws Exception {
    Path file = dir.resolve("nested").resolve("payments").resolve("ledger.jsonl");
    try (Ledger ledger = Ledger.open(file)) {
      ledger.capture("k-1", 100, "USD", "card", null);
      ledger.voidKey("k-early", "EUR"); // a voided key has no payment id
      ledger.capture("k-2", 200, "USD", "paypal", "order-2");
      ledger.voidKey("k-1", "USD");
    }
    assertThat(Files.readAllLines(file))
        .as("one line per change: two captures, two voids")
        .hasSize(4);

    try (Ledger reopened = Ledger.open(file)) {
      assertThat(reopened.find("k-1")).map(Payment::status).hasValue(Payment.REFUNDED);
      assertThat(reopened.find("k-2"))
          .hasValue(new Payment("pay_2", Payment.CAPTURED, 200, "USD", "paypal", "order-2", "k-2"));
      assertThat(reopened.capture("k-early", 100, "EUR", "card", null))
          .as("a key voided before the restart still cannot capture")
          .isInstanceOf(Ledger.Voided.class);
      assertThat(captured(reopened.capture("k-3", 300, "USD", "card", null)).id())
          .as("ids continue after the highest one in the journal")
          .isEqualTo("pay_3");
    }
    try (Ledger again = Ledger.open(file)) {
      assertThat(again.payments())
          .extracting(Payment::idempotencyKey)
          .containsExactly("k-1", "k-early", "k-2", "k-3");
    }
  }

  @Test
  void idsContinueAfterTheHighestIdEvenWhenItIsNotOnTheLastLine() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(
        file,
        line("pay_7", "k-7")
            + line("pay_12", "k-12")
            + line("pay_9", "k-9")
            + line("refund-1", "k-foreign"),
        StandardCharsets.UTF_8);

    try (Ledger ledger = Ledger.open(file)) {
      assertThat(captured(ledger.capture("k-new", 100, "USD", "card", null)).id())
          .as("an id that is not pay_<n> counts for nothing")
          .isEqualTo("pay_13");
    }
  }

  @Test
  void aDamagedLineOtherThanTheLastStopsTheOpeningNamingFileAndLine() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(
        file, line("pay_1", "k-1") + "{not json}\n" + line("pay_2", "k-2"), StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Ledger.open(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("at line 2 ")
        .hasMessageContaining("will not start without it");
  }

  @Test
  void aJournalThatCannotBeReadIsNotLeftOpenByTheFailedOpening() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    Files.writeString(file, "{not json}\n" + line("pay_1", "k-1"), StandardCharsets.UTF_8);

    for (int attempt = 0; attempt < 3; attempt++) {
      assertThatThrownBy(() -> Ledger.open(file)).isInstanceOf(IllegalStateException.class);
    }

    assertThat(openHandlesOn(file))
        .as("a provider restarted in a loop on a damaged journal leaks no file handle")
        .isZero();
  }

  @Test
  void aLastLineCutShortIsCutOffSoTheNextCaptureStartsOnALineOfItsOwn() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    String whole = line("pay_1", "k-1");
    Files.writeString(file, whole + "{\"payment_id\":\"pay_2\",\"sta", StandardCharsets.UTF_8);

    try (Ledger ledger = Ledger.open(file)) {
      assertThat(Files.readString(file)).as("the cut line is gone from the file").isEqualTo(whole);
      assertThat(captured(ledger.capture("k-2", 200, "USD", "card", null)).id()).isEqualTo("pay_2");
    }
    try (Ledger reopened = Ledger.open(file)) {
      assertThat(reopened.payments()).extracting(Payment::id).containsExactly("pay_1", "pay_2");
    }
  }

  @Test
  void aCaptureTheJournalCannotTakeIsNotCapturedAndTheKeyCanStillBeUsed() throws Exception {
    Path file = dir.resolve("ledger.jsonl");
    Ledger ledger = Ledger.open(file);
    ledger.close(); // the journal can no longer be written

    assertThatThrownBy(() -> ledger.capture("k-1", 100, "USD", "card", null))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write the payments ledger");
    assertThat(ledger.find("k-1")).as("nothing was captured").isEmpty();
    assertThatThrownBy(() -> ledger.voidKey("k-1", "USD")).isInstanceOf(UncheckedIOException.class);
    assertThat(ledger.find("k-1")).as("nor voided").isEmpty();
    try (Ledger reopened = Ledger.open(file)) {
      assertThat(reopened.payments()).isEmpty();
      assertThat(captured(reopened.capture("k-1", 100, "USD", "card", null)).id())
          .as("the refused capture used no id")
          .isEqualTo("pay_1");
    }
  }

  @Test
  void aJournalThatCannotBeOpenedIsReportedWithItsPath() throws Exception {
    Path notADirectory = dir.resolve("file");
    Files.writeString(notADirectory, "x", StandardOpenOption.CREATE);
    Path file = notADirectory.resolve("ledger.jsonl");

    assertThatThrownBy(() -> Ledger.open(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot open the payments ledger " + file);
  }

  /** The file descriptors of this JVM open on a file (Linux: the links in /proc/self/fd). */
  private static long openHandlesOn(Path file) throws Exception {
    Path target = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(target);
                } catch (Exception gone) {
                  return false; // closed while listing, or not a link
                }
              })
          .count();
    }
  }

  private static Payment captured(Ledger.Outcome outcome) {
    assertThat(outcome).isInstanceOf(Ledger.Captured.class);
    return ((Ledger.Captured) outcome).payment();
  }

  private static String line(String id, String key) {
    return "{\"payment_id\":\""
        + id
        + "\",\"status\":\"captured\",\"amount_cents\":100,\"currency\":\"USD\","
        + "\"method\":\"card\",\"reference\":null,\"idempotency_key\":\""
        + key
        + "\"}\n";
  }
}
