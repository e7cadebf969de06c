package dev.vigil.telemetry.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a JSON request body, answering every way it can be wrong with a problem: 415 for a content
 * type other than JSON or a charset other than UTF-8 (RFC 8259 section 8.1: JSON exchanged between
 * systems is UTF-8), 413 for a body over {@link #MAX_BYTES}, 400 for malformed JSON or a key given
 * twice in one object (Jackson's STRICT_DUPLICATE_DETECTION: "last one wins" would let two readers
 * of one body disagree), 422 naming the field whose value has the wrong type or that is unknown.
 */
public final class JsonBody {

  /** The largest accepted request body: 1 MiB (1,048,576 bytes). */
  public static final long MAX_BYTES = 1024L * 1024L;

  /**
   * Jackson's default buffer recycler lives in a ThreadLocal, which every request misses: each runs
   * on a new virtual thread. A pool shared by all threads lets requests reuse the buffers.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .recyclerPool(JsonRecyclerPools.newConcurrentDequePool())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(FACTORY)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonBody() {}

  /**
   * Reads the body of a request as an instance of {@code type}.
   *
   * @param ctx the request
   * @param type the target type, typically a record with boxed fields so that missing ones are
   *     {@code null} and can be reported as 422 by the caller's validation
   * @param <T> the target type
   * @return the parsed body, never {@code null}
   * @throws ProblemException with status 415, 413, 400 or 422 as described in the class comment
   */
  public static <T> T read(Context ctx, Class<T> type) {
    // the raw header: Jetty's parsed content type throws on an unknown charset
    String contentType = ctx.header("Content-Type");
    if (!isJson(contentType)) {
      throw new ProblemException(
          Problem.of(
              415,
              "Content-Type "
                  + (contentType == null ? "is missing" : "'" + contentType + "' is not supported")
                  + ": send the body as JSON with Content-Type: application/json"));
    }
    String charset = charsetOf(contentType);
    if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")) {
      throw new ProblemException(
          Problem.of(
              415,
              "charset '"
                  + charset
                  + "' is not supported: JSON is read "
                  + "as UTF-8 only; send Content-Type: application/json (or with charset=utf-8)"));
    }
    if (ctx.contentLength() > MAX_BYTES) {
      throw tooLarge();
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > MAX_BYTES) {
      throw tooLarge();
    }
    if (body.length == 0) {
      throw new ProblemException(Problem.of(400, "the request body is empty: send a JSON object"));
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      if (e instanceof StreamReadException
          && e.getOriginalMessage() != null
          && e.getOriginalMessage().startsWith("Duplicate field")) {
        throw new ProblemException(
            Problem.of(
                400,
                "a key appears twice in one JSON object"
                    + where
                    + " ("
                    + e.getOriginalMessage().replace("Duplicate field", "field")
                    + "): send each field once"));
      }
      throw new ProblemException(
          Problem.of(400, "malformed JSON" + where + ": fix the syntax and resend"));
    } catch (IOException e) {
      throw new ProblemException(Problem.of(400, "the request body could not be read: resend it"));
    }
    if (tree == null || !tree.isObject()) {
      throw new ProblemException(Problem.of(400, "the request body must be a JSON object"));
    }
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw ProblemException.invalidField(
          path(e), "is not a known field; accepted fields: " + e.getKnownPropertyIds());
    } catch (JsonMappingException e) {
      String field = path(e);
      throw ProblemException.invalidField(
          field.isEmpty() ? "body" : field, "has a value of the wrong type");
    } catch (JacksonException e) {
      throw new ProblemException(Problem.of(400, "the request body must be a JSON object"));
    }
  }

  /**
   * The Jackson instance used for request bodies, shared with problem and health writers; its
   * buffers are recycled across threads, virtual ones included.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Javalin's JSON mapper ({@code ctx.json(...)}) over {@link #mapper()}, so that responses reuse
   * the same buffers: {@code config.jsonMapper(JsonBody.javalinMapper())}.
   *
   * @return a new Javalin mapper wrapping the shared Jackson instance
   */
  public static JavalinJackson javalinMapper() {
    return new JavalinJackson(MAPPER, true);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mediaType.equals("application/json") || mediaType.endsWith("+json");
  }

  /**
   * The lower-cased, unquoted {@code charset} parameter of a media type, or {@code null} when
   * absent.
   */
  private static String charsetOf(String contentType) {
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
        return pair[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private static ProblemException tooLarge() {
    return new ProblemException(
        Problem.of(
            413,
            "the request body is larger than "
                + MAX_BYTES
                + " bytes (1 MiB): send a smaller body"));
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
