package dev.vigil.prometheus;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xerial.snappy.Snappy;

/**
 * Writes samples to a Prometheus-compatible remote-write receiver (Prometheus started with {@code
 * --web.enable-remote-write-receiver}, VictoriaMetrics, vmagent): Remote Write 1.0, a protobuf
 * {@code WriteRequest} compressed with snappy's block format, POSTed to {@code /api/v1/write}.
 *
 * <p>Samples older than the receiver's head are accepted only within its out-of-order window
 * (Prometheus: {@code storage.tsdb.out_of_order_time_window}); a refusal is an {@link IOException}
 * carrying the receiver's message.
 *
 * <p>Usage: {@code new RemoteWriteClient(URI.create("http://127.0.0.1:9090/api/v1/write"))
 * .write(List.of(new RemoteWriteClient.Series(Map.of("__name__", "up"), List.of(new
 * RemoteWriteClient.Sample(ms, 1)))))}.
 *
 * <p>Source of the format: the Prometheus Remote-Write 1.0 specification
 * (prometheus.io/docs/specs/remote_write_spec).
 */
public final class RemoteWriteClient implements SampleWriter {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /**
   * One sample.
   *
   * @param epochMillis its timestamp, milliseconds since the epoch
   * @param value its value
   */
  public record Sample(long epochMillis, double value) {}

  /**
   * One series and its samples.
   *
   * @param labels its labels, {@code __name__} included; written sorted by name, as the
   *     specification requires
   * @param samples its samples, oldest first
   */
  public record Series(Map<String, String> labels, List<Sample> samples) {}

  private final URI endpoint;

  /**
   * @param endpoint the receiver, e.g. {@code http://127.0.0.1:9090/api/v1/write}
   */
  public RemoteWriteClient(URI endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Sends one write request.
   *
   * @param series the series to write; nothing is sent when empty
   * @return the number of samples the receiver accepted (all of them: a partial refusal throws)
   * @throws IOException when the receiver is unreachable or refuses the request (its answer
   *     included, e.g. Prometheus' "out of bounds" for samples older than its out-of-order window)
   */
  @Override
  public long write(List<Series> series) throws IOException {
    if (series.isEmpty()) {
      return 0;
    }
    byte[] body = Snappy.compress(encode(series));
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-protobuf")
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<String> response;
    try {
      response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing to " + endpoint, e);
    } catch (IOException e) {
      throw new IOException(
          "cannot reach the remote-write receiver at "
              + endpoint
              + " ("
              + e.getMessage()
              + "): is it running, and is Prometheus started with"
              + " --web.enable-remote-write-receiver?",
          e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "the remote-write receiver at "
              + endpoint
              + " refused "
              + series.size()
              + " series: HTTP "
              + response.statusCode()
              + " "
              + response.body().strip()
              + (response.statusCode() == 404
                  ? " (start Prometheus with --web.enable-remote-write-receiver)"
                  : ""));
    }
    return series.stream().mapToLong(s -> s.samples().size()).sum();
  }

  /**
   * @return the protobuf {@code WriteRequest}: field 1 repeated {@code TimeSeries} (field 1
   *     repeated {@code Label} of name = 1, value = 2; field 2 repeated {@code Sample} of value = 1
   *     double, timestamp = 2 int64)
   */
  static byte[] encode(List<Series> series) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(request);
    for (Series s : series) {
      out.writeByteArray(1, timeSeries(s));
    }
    out.flush();
    return request.toByteArray();
  }

  private static byte[] timeSeries(Series s) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    for (Map.Entry<String, String> label : new TreeMap<>(s.labels()).entrySet()) {
      ByteArrayOutputStream l = new ByteArrayOutputStream();
      CodedOutputStream lo = CodedOutputStream.newInstance(l);
      lo.writeString(1, label.getKey());
      lo.writeString(2, label.getValue());
      lo.flush();
      out.writeByteArray(1, l.toByteArray());
    }
    for (Sample sample : s.samples()) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(18);
      CodedOutputStream so = CodedOutputStream.newInstance(b);
      so.writeDouble(1, sample.value());
      so.writeInt64(2, sample.epochMillis());
      so.flush();
      out.writeByteArray(2, b.toByteArray());
    }
    out.flush();
    return bytes.toByteArray();
  }
}
