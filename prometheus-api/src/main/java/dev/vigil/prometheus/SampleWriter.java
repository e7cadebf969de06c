package dev.vigil.prometheus;

import java.io.IOException;
import java.util.List;

/**
 * Where written samples go: a remote-write receiver ({@link RemoteWriteClient}) or TSDB blocks
 * dropped into a Prometheus data directory ({@link TsdbBlockWriter}).
 */
public interface SampleWriter {

  /**
   * Writes series.
   *
   * @param series series and their samples, each series' samples oldest first
   * @return the number of samples accepted
   * @throws IOException when the store refuses them
   */
  long write(List<RemoteWriteClient.Series> series) throws IOException;

  /**
   * Makes everything written so far visible to queries (a no-op for remote write, which is
   * immediate).
   *
   * @throws IOException when that fails
   */
  default void commit() throws IOException {}
}
