package dev.vigil.telemetry.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The span attribute keys vigil sets, named by the OpenTelemetry semantic conventions (HTTP spans,
 * messaging spans, database spans; semantic conventions 1.26+ stable names), plus vigil's business
 * attributes.
 */
public final class TraceAttributes {

  private TraceAttributes() {}

  /** The matched route template, e.g. {@code /api/products/{id}} (HTTP server spans only). */
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

  /** The request method, e.g. {@code GET}; {@code _OTHER} for non-standard methods. */
  public static final AttributeKey<String> HTTP_REQUEST_METHOD =
      AttributeKey.stringKey("http.request.method");

  /** The response status code. */
  public static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");

  /** How many times this request was sent before (0 for the first attempt; HTTP client spans). */
  public static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT =
      AttributeKey.longKey("http.request.resend_count");

  /** The path of the request URL, without query string. */
  public static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

  /** The scheme of the request URL, {@code http} or {@code https}. */
  public static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");

  /** The full URL of an outgoing request, without query string (HTTP client spans). */
  public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");

  /** The host name or address of the server. */
  public static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");

  /** The TCP port of the server. */
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /** The address of the client that sent the request. */
  public static final AttributeKey<String> CLIENT_ADDRESS =
      AttributeKey.stringKey("client.address");

  /**
   * The logical name of the remote service, e.g. {@code payments}; Zipkin shows it as remote
   * endpoint.
   */
  public static final AttributeKey<String> PEER_SERVICE = AttributeKey.stringKey("peer.service");

  /**
   * The class of error that ended the operation: an exception class, a status code or a short
   * reason.
   */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** The messaging system, {@code vigil} for vigil's in-process queues. */
  public static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");

  /** The queue's name, e.g. {@code confirmations}. */
  public static final AttributeKey<String> MESSAGING_DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");

  /** {@code send} on the producer side, {@code process} on the consumer side. */
  public static final AttributeKey<String> MESSAGING_OPERATION =
      AttributeKey.stringKey("messaging.operation.type");

  /** The database system, e.g. {@code h2} or {@code postgresql}. */
  public static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");

  /** The fixed name of a database statement, e.g. {@code product_by_id} (never SQL text). */
  public static final AttributeKey<String> DB_QUERY_SUMMARY =
      AttributeKey.stringKey("db.query.summary");

  /** The name of the cache a lookup went to, e.g. {@code products}. */
  public static final AttributeKey<String> CACHE_NAME = AttributeKey.stringKey("cache.name");

  /** Whether a cache lookup was answered from the cache. */
  public static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("cache.hit");

  /** An order's id. */
  public static final AttributeKey<Long> ORDER_ID = AttributeKey.longKey("order.id");

  /** An order's total, in cents. */
  public static final AttributeKey<Long> ORDER_TOTAL_CENTS =
      AttributeKey.longKey("order.total_cents");

  /** An order's payment method, e.g. {@code card}. */
  public static final AttributeKey<String> PAYMENT_METHOD =
      AttributeKey.stringKey("payment.method");
}
