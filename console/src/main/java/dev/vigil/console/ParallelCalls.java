package dev.vigil.console;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent calls to a server (Prometheus, an admin API) at once, each on its own virtual
 * thread, so a page waits for the slowest call instead of their sum. Each call keeps its own
 * timeout (the clients' request timeouts bound them).
 */
final class ParallelCalls {

  private ParallelCalls() {}

  /**
   * One call that may fail with an {@link IOException}.
   *
   * @param <T> what it answers
   */
  interface Call<T> {
    /**
     * Makes the call.
     *
     * @return the answer
     * @throws IOException when the server cannot be reached or refuses
     */
    T call() throws IOException;
  }

  /**
   * Runs every call at once and waits for all of them.
   *
   * @param calls the calls, independent of each other
   * @param <T> what each answers
   * @return the answers, in the order of the calls
   * @throws IOException the first failed call's exception (in call order), after all have ended
   */
  static <T> List<T> all(List<? extends Call<T>> calls) throws IOException {
    if (calls.size() == 1) {
      List<T> one = new ArrayList<>();
      one.add(calls.get(0).call());
      return one;
    }
    List<Future<T>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Call<T> call : calls) {
        futures.add(threads.submit(call::call));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the answers", e);
    }
  }
}
