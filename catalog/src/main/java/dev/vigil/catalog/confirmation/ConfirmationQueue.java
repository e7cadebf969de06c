package dev.vigil.catalog.confirmation;

import dev.vigil.telemetry.errors.ErrorTracker;
import dev.vigil.telemetry.tracing.ActiveSpan;
import dev.vigil.telemetry.tracing.QueueHandoff;
import dev.vigil.telemetry.tracing.TraceAttributes;
import dev.vigil.telemetry.tracing.Tracing;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Order confirmations sent by one worker thread, through a bounded in-process queue.
 *
 * <p>An order first {@link #reserve() reserves} a place, before anything is charged: when the queue
 * already holds its capacity, the order is refused with {@link QueueFullException} and nothing has
 * happened. Once the order is paid, {@link Slot#submit} puts the confirmation in the reserved place
 * (it cannot fail), so an order acknowledged to the customer always has its confirmation queued. On
 * a graceful stop, the worker sends every queued confirmation before the process exits; a crash
 * loses the queued ones (the orders themselves are committed).
 *
 * <p>The trace continues across the queue: {@code send confirmations} (PRODUCER) in the request,
 * {@code process confirmations} (CONSUMER) on the worker, same trace id.
 *
 * <p>Metrics, label {@code queue="confirmations"}: {@code queue_depth} (waiting), {@code
 * queue_capacity}, {@code queue_rejected_total} (refused because full), {@code
 * queue_processing_duration_seconds} and {@code queue_failures_total}.
 *
 * <p>A confirmation that fails to be sent is an error of the service like a failed request: grouped
 * by fingerprint in the error tracker under the worker {@value #WORKER}, with the order's trace id
 * (the worker runs in the order's trace), counted in {@code app_exceptions_total{type}} and logged
 * at ERROR with its stack trace.
 */
public final class ConfirmationQueue implements AutoCloseable {

  /** The value of the {@code queue} label. */
  public static final String NAME = "confirmations";

  /** The worker name of the queue's failures and thread. */
  public static final String WORKER = "confirmations-worker";

  private static final Logger LOG = LoggerFactory.getLogger(ConfirmationQueue.class);

  /** One confirmation to send. */
  private record Confirmation(long orderId, long totalCents, Map<String, String> trace) {}

  /** Sends one confirmation: the catalog logs it (a real shop would mail it); tests fail it. */
  @FunctionalInterface
  interface Sender {
    /**
     * Sends the confirmation of one order.
     *
     * @param orderId the order
     * @param totalCents its total, in cents
     * @throws InterruptedException when the worker is interrupted while sending
     */
    void send(long orderId, long totalCents) throws InterruptedException;
  }

  /** A reserved place in the queue: submit one confirmation into it, or release it. */
  public final class Slot implements AutoCloseable {
    private boolean used;

    private Slot() {}

    /**
     * Queues the confirmation of a paid order in this place; call it inside the order's trace.
     *
     * @param orderId the order
     * @param totalCents its total, in cents
     */
    public void submit(long orderId, long totalCents) {
      try (ActiveSpan send = handoff.send()) {
        send.set(TraceAttributes.ORDER_ID, orderId);
        queue.add(new Confirmation(orderId, totalCents, handoff.carrier()));
      }
      used = true;
    }

    /** Whether a confirmation was submitted into this place. */
    public boolean submitted() {
      return used;
    }

    /** Gives the place back when nothing was submitted (the order failed). */
    @Override
    public void close() {
      if (!used) {
        used = true;
        places.release();
      }
    }
  }

  private final int capacity;
  private final QueueHandoff handoff;
  private final Semaphore places;
  private final LinkedBlockingDeque<Confirmation> queue = new LinkedBlockingDeque<>();
  private final CounterDataPoint rejected;
  private final CounterDataPoint failures;
  private final DistributionDataPoint processing;
  private final Thread worker;
  private final BooleanSupplier stalled;
  private final ErrorTracker errors;
  private final Sender sender;
  private volatile boolean stopping;

  /**
   * Creates the queue and starts its worker, which takes no work while {@code stalled} says so (the
   * {@code worker_stalled} fault; queued items are still sent when the queue drains at stop).
   *
   * @param capacity most confirmations waiting (reserved or queued), >= 1
   * @param sendTime how long sending one confirmation takes
   * @param tracing the catalog's tracing
   * @param registry where the queue metrics are registered
   * @param stalled asked before each take, e.g. {@code CatalogFaults::workerStalled}
   * @param errors where failed sends are recorded, the service's error tracker
   */
  public ConfirmationQueue(
      int capacity,
      Duration sendTime,
      Tracing tracing,
      PrometheusRegistry registry,
      BooleanSupplier stalled,
      ErrorTracker errors) {
    this(capacity, tracing, registry, stalled, errors, logged(sendTime));
  }

  /**
   * Creates the queue and starts its worker, which sends with {@code sender} (tests: a sender that
   * fails).
   */
  ConfirmationQueue(
      int capacity,
      Tracing tracing,
      PrometheusRegistry registry,
      BooleanSupplier stalled,
      ErrorTracker errors,
      Sender sender) {
    this.stalled = stalled;
    this.errors = errors;
    this.sender = sender;
    this.capacity = capacity;
    this.handoff = new QueueHandoff(tracing, NAME);
    this.places = new Semaphore(capacity);
    GaugeWithCallback.builder()
        .name("queue_depth")
        .help("Items waiting in an in-process queue")
        .labelNames("queue")
        .callback(cb -> cb.call(queue.size(), NAME))
        .register(registry);
    GaugeWithCallback.builder()
        .name("queue_capacity")
        .help("Most items an in-process queue holds")
        .labelNames("queue")
        .callback(cb -> cb.call(capacity, NAME))
        .register(registry);
    this.rejected =
        Counter.builder()
            .name("queue_rejected_total")
            .help("Items refused because the queue was full")
            .labelNames("queue")
            .register(registry)
            .labelValues(NAME);
    this.failures =
        Counter.builder()
            .name("queue_failures_total")
            .help("Items whose processing failed")
            .labelNames("queue")
            .register(registry)
            .labelValues(NAME);
    this.processing =
        Histogram.builder()
            .name("queue_processing_duration_seconds")
            .help("Time to process one queued item, in seconds")
            .labelNames("queue")
            .classicOnly()
            .classicUpperBounds(.001, .005, .01, .05, .1, .5, 1, 5, 10)
            .register(registry)
            .labelValues(NAME);
    this.worker =
        Thread.ofPlatform()
            .name(WORKER)
            .daemon(false)
            .uncaughtExceptionHandler(errors.uncaughtIn(WORKER))
            .start(this::work);
  }

  /**
   * Reserves a place for one confirmation.
   *
   * @return the place; use it in try-with-resources so it is released when the order fails
   * @throws QueueFullException when {@code capacity} confirmations are already waiting, or the
   *     queue is stopping
   */
  public Slot reserve() throws QueueFullException {
    if (stopping || !places.tryAcquire()) {
      rejected.inc();
      throw new QueueFullException(capacity);
    }
    return new Slot();
  }

  /** Confirmations waiting to be sent. */
  public int depth() {
    return queue.size();
  }

  /**
   * Stops taking work, sends every queued confirmation, and stops the worker; waits at most {@code
   * grace}.
   *
   * @param grace how long draining may take
   */
  public void drain(Duration grace) {
    stopping = true;
    try {
      worker.join(grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      LOG.atWarn()
          .addKeyValue("queue_depth", queue.size())
          .log(
              "{} confirmations still queued after {} ms; they are not sent",
              queue.size(),
              grace.toMillis());
      worker.interrupt();
    }
  }

  @Override
  public void close() {
    drain(Duration.ofSeconds(10));
  }

  private void work() {
    while (true) {
      Confirmation next;
      try {
        if (!stopping && stalled.getAsBoolean()) {
          Thread.sleep(100);
          continue;
        }
        next = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        if (stopping) {
          return;
        }
        continue;
      }
      if (!stopping && stalled.getAsBoolean()) {
        // the stall began while this worker waited in poll: the item goes back to the head, unsent
        queue.offerFirst(next);
        continue;
      }
      places.release();
      send(next);
    }
  }

  private void send(Confirmation confirmation) {
    long start = System.nanoTime();
    try (ActiveSpan span = handoff.process(confirmation.trace())) {
      span.set(TraceAttributes.ORDER_ID, confirmation.orderId());
      try {
        sender.send(confirmation.orderId(), confirmation.totalCents());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.inc();
        span.fail(e);
      } catch (RuntimeException e) {
        failures.inc();
        span.fail(e);
        // inside the span: the failure carries the order's trace id
        errors.recordWorkerFailure(
            WORKER, "cannot send the confirmation of order " + confirmation.orderId(), e);
      }
    } finally {
      processing.observe((System.nanoTime() - start) / 1e9);
    }
  }

  /** The catalog's sending: takes {@code sendTime}, then logs that the confirmation was sent. */
  private static Sender logged(Duration sendTime) {
    return (orderId, totalCents) -> {
      if (!sendTime.isZero()) {
        Thread.sleep(sendTime);
      }
      LOG.atInfo()
          .addKeyValue("order_id", orderId)
          .addKeyValue("total_cents", totalCents)
          .log("confirmation of order {} sent", orderId);
    };
  }
}
