package dev.vigil.catalog.confirmation;

/** The confirmation queue holds its capacity already: the work is refused, nothing was accepted. */
public final class QueueFullException extends Exception {

  private final int capacity;

  /**
   * @param capacity the queue's capacity, for the message
   */
  public QueueFullException(int capacity) {
    super("the confirmation queue is full (" + capacity + " waiting)", null, false, false);
    this.capacity = capacity;
  }

  /** The queue's capacity. */
  public int capacity() {
    return capacity;
  }
}
