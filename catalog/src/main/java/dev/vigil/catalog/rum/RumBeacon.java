package dev.vigil.catalog.rum;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vigil.telemetry.http.JsonBody;
import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemException;
import io.javalin.http.Context;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Set;

/**
 * Real-user monitoring: the endpoint ({@code POST /rum/beacon}) to which the storefront's pages
 * send what their users experienced ({@code navigator.sendBeacon}), recorded as histograms.
 *
 * <p>The body is JSON, at most {@link #MAX_BYTES} bytes:
 *
 * <pre>{@code
 * {"page":"product","samples":[
 *   {"kind":"page_load","value":0.412},                        seconds, navigation start to load end
 *   {"kind":"web_vital","name":"LCP","value":0.388},           seconds; CLS unitless
 *   {"kind":"api","endpoint":"/api/orders","value":0.051}]}    seconds, as the browser saw it
 * }</pre>
 *
 * Everything is validated before anything is recorded (one bad sample refuses the whole beacon):
 * {@code page} from {@link #PAGES}, at most {@link #MAX_SAMPLES} samples, {@code name} from {@link
 * #VITALS}, {@code endpoint} from {@link #ENDPOINTS} (route templates, so cardinality is bounded),
 * times within 0..{@link #MAX_SECONDS} s and CLS within 0..{@link #MAX_CLS}. A refused beacon is a
 * 4xx problem+json (413 too large; 415, 400, 422 from {@link JsonBody}; 422 out of range) and is
 * counted in {@code rum_beacons_total{outcome}}. An accepted one answers 204.
 *
 * <p>Metrics, every series registered at 0 for the known label values:
 *
 * <ul>
 *   <li>{@code rum_page_load_seconds{page}}: navigation timing's {@code loadEventEnd};
 *   <li>{@code rum_web_vital{name,page}}: Core Web Vitals (LCP, INP, CLS) and FCP, TTFB; seconds
 *       except CLS. The buckets include every "good" and "poor" threshold web.dev defines (LCP 2.5
 *       / 4 s, INP 0.2 / 0.5 s, CLS 0.1 / 0.25, FCP 1.8 / 3 s, TTFB 0.8 / 1.8 s), so the share of
 *       "good" samples is one bucket over the count;
 *   <li>{@code rum_api_duration_seconds{endpoint}}: each API call as the browser timed it;
 *   <li>{@code rum_beacons_total{outcome}}: accepted, too_large, malformed, invalid.
 * </ul>
 */
public final class RumBeacon {

  /** The largest beacon body accepted: 8 KiB (a full beacon of 32 samples is about 2 KiB). */
  public static final int MAX_BYTES = 8 * 1024;

  /** Most samples in one beacon. */
  public static final int MAX_SAMPLES = 32;

  /** Longest time a sample may report: 300 s (longer is a broken clock or a tab left asleep). */
  public static final double MAX_SECONDS = 300;

  /** Largest CLS accepted (a layout shift score; real pages stay well under 1). */
  public static final double MAX_CLS = 10;

  /** The storefront's pages, the only values of the {@code page} label. */
  public static final List<String> PAGES = List.of("products", "product");

  /** The web vitals recorded, the only values of the {@code name} label. */
  public static final List<String> VITALS = List.of("LCP", "INP", "CLS", "FCP", "TTFB");

  /**
   * The API route templates the storefront calls, the only values of the {@code endpoint} label.
   */
  public static final List<String> ENDPOINTS =
      List.of("/api/products", "/api/products/{id}", "/api/orders", "/api/orders/{id}");

  /** Buckets of {@code rum_web_vital}: every web-vitals good/poor threshold is a boundary. */
  static final double[] VITAL_BUCKETS = {
    0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.5, 0.8, 1, 1.8, 2.5, 3, 4, 8, 15, 60
  };

  /** Buckets of {@code rum_page_load_seconds}. */
  static final double[] PAGE_LOAD_BUCKETS = {0.1, 0.25, 0.5, 1, 1.8, 2.5, 4, 8, 15, 30, 60};

  /** Buckets of {@code rum_api_duration_seconds}. */
  static final double[] API_BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10};

  private static final Set<String> OUTCOMES =
      Set.of("accepted", "too_large", "malformed", "invalid");

  private final Histogram pageLoad;
  private final Histogram vitals;
  private final Histogram api;
  private final Counter beacons;

  /**
   * Registers the RUM metrics, every known series at 0.
   *
   * @param registry where they are registered
   */
  public RumBeacon(PrometheusRegistry registry) {
    pageLoad =
        Histogram.builder()
            .name("rum_page_load_seconds")
            .help("Page loads as real users' browsers timed them (navigation start to load end)")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("page")
            .classicOnly()
            .classicUpperBounds(PAGE_LOAD_BUCKETS)
            .register(registry);
    vitals =
        Histogram.builder()
            .name("rum_web_vital")
            .help(
                "Core Web Vitals and FCP/TTFB reported by real users' browsers; seconds, CLS unitless")
            .labelNames("name", "page")
            .classicOnly()
            .classicUpperBounds(VITAL_BUCKETS)
            .register(registry);
    api =
        Histogram.builder()
            .name("rum_api_duration_seconds")
            .help("API calls as real users' browsers timed them, by route template")
            .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
            .labelNames("endpoint")
            .classicOnly()
            .classicUpperBounds(API_BUCKETS)
            .register(registry);
    beacons =
        Counter.builder()
            .name("rum_beacons_total")
            .help("RUM beacons received, by outcome (accepted, too_large, malformed, invalid)")
            .labelNames("outcome")
            .register(registry);
    for (String page : PAGES) {
      pageLoad.labelValues(page);
      for (String vital : VITALS) {
        vitals.labelValues(vital, page);
      }
    }
    for (String endpoint : ENDPOINTS) {
      api.labelValues(endpoint);
    }
    for (String outcome : OUTCOMES) {
      beacons.labelValues(outcome);
    }
  }

  /** One beacon as sent by the storefront's script. */
  record Beacon(@JsonProperty("page") String page, @JsonProperty("samples") List<Sample> samples) {}

  /**
   * One measurement: {@code kind} page_load, web_vital (with {@code name}) or api ({@code
   * endpoint}).
   */
  record Sample(
      @JsonProperty("kind") String kind,
      @JsonProperty("name") String name,
      @JsonProperty("endpoint") String endpoint,
      @JsonProperty("value") Double value) {}

  /**
   * {@code POST /rum/beacon}: validates the whole beacon, then records its samples; 204.
   *
   * @param ctx the request
   * @throws ProblemException 413, 415, 400 or 422 as described in the class comment (counted)
   */
  public void receive(Context ctx) {
    // sendBeacon always sends a Content-Length; a chunked body is read (Javalin bounds it at 1 MiB)
    long length = ctx.contentLength() >= 0 ? ctx.contentLength() : ctx.bodyAsBytes().length;
    if (length > MAX_BYTES) {
      throw refused(
          "too_large",
          Problem.of(
              413,
              "a RUM beacon is at most "
                  + MAX_BYTES
                  + " bytes; this one is "
                  + length
                  + ": send at most "
                  + MAX_SAMPLES
                  + " samples per beacon"));
    }
    Beacon beacon;
    try {
      beacon = JsonBody.read(ctx, Beacon.class);
    } catch (ProblemException e) {
      beacons.labelValues(e.problem().status() == 413 ? "too_large" : "malformed").inc();
      throw e;
    }
    validate(beacon);
    for (Sample sample : beacon.samples()) {
      switch (sample.kind()) {
        case "page_load" -> pageLoad.labelValues(beacon.page()).observe(sample.value());
        case "web_vital" ->
            vitals.labelValues(sample.name(), beacon.page()).observe(sample.value());
        default -> api.labelValues(sample.endpoint()).observe(sample.value());
      }
    }
    beacons.labelValues("accepted").inc();
    ctx.status(204);
  }

  private void validate(Beacon beacon) {
    if (beacon.page() == null || !PAGES.contains(beacon.page())) {
      throw invalid("page", "must be one of " + PAGES);
    }
    List<Sample> samples = beacon.samples();
    if (samples == null || samples.isEmpty() || samples.size() > MAX_SAMPLES) {
      throw invalid("samples", "must hold 1 to " + MAX_SAMPLES + " samples");
    }
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      String at = "samples[" + i + "]";
      if (s == null || s.kind() == null) {
        throw invalid(at + ".kind", "must be one of page_load, web_vital, api");
      }
      double max = MAX_SECONDS;
      switch (s.kind()) {
        case "page_load" -> {}
        case "web_vital" -> {
          if (s.name() == null || !VITALS.contains(s.name())) {
            throw invalid(at + ".name", "must be one of " + VITALS);
          }
          if (s.name().equals("CLS")) {
            max = MAX_CLS;
          }
        }
        case "api" -> {
          if (s.endpoint() == null || !ENDPOINTS.contains(s.endpoint())) {
            throw invalid(at + ".endpoint", "must be one of " + ENDPOINTS);
          }
        }
        default -> throw invalid(at + ".kind", "must be one of page_load, web_vital, api");
      }
      Double value = s.value();
      if (value == null || value.isNaN() || value < 0 || value > max) {
        throw invalid(at + ".value", "must be a number from 0 to " + max + ", got " + value);
      }
    }
  }

  private ProblemException invalid(String field, String detail) {
    beacons.labelValues("invalid").inc();
    return ProblemException.invalidField(field, detail);
  }

  private ProblemException refused(String outcome, Problem problem) {
    beacons.labelValues(outcome).inc();
    return new ProblemException(problem);
  }
}
