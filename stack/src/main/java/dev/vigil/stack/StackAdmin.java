package dev.vigil.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to reach the admin APIs of a local stack's services (faults, and whatever other features
 * mount there): the base URL of each service's admin port and the bearer token {@code up}
 * generated. What drills, {@code vigil fault} and {@code vigil profile} use.
 *
 * <p>A service the topology runs more than once (the ha topology's catalog replicas behind HAProxy)
 * has one admin API per replica: {@link #urls()} names the first replica's, {@link
 * #replicaUrls(String)} every replica's. Whatever must change the service as a whole (a drill's
 * fault) goes to every replica; a request to one replica changes only the traffic HAProxy sends
 * there.
 *
 * @param urls base URL of the first (or only) replica per service name ({@code catalog}, {@code
 *     payments}), e.g. {@code http://127.0.0.1:8010}
 * @param token the bearer token, sent as {@code Authorization: Bearer <token>}
 * @param replicas base URLs of every replica per service name, in replica order (the first is the
 *     one in {@code urls}); a service missing here has the one URL of {@code urls}
 */
public record StackAdmin(Map<String, URI> urls, String token, Map<String, List<URI>> replicas) {

  /** The file under the state directory holding the token (mode 0600). */
  public static final String TOKEN_FILE = "admin-token";

  /** The variable a service reads its token from. */
  public static final String TOKEN_VARIABLE = "VIGIL_ADMIN_TOKEN";

  /** The variable a service reads its admin port from; a launch with it gets the token. */
  public static final String PORT_VARIABLE = "VIGIL_ADMIN_PORT";

  /** The variable payments and the catalog read the payment API's token from. */
  public static final String PAYMENTS_TOKEN_VARIABLE = "VIGIL_PAYMENTS_TOKEN";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Copies the maps keeping their order (messages list the services in them) and never prints the
   * token.
   *
   * @throws IllegalArgumentException when a service's replica list is empty or does not start with
   *     its URL in {@code urls}
   */
  public StackAdmin {
    urls = Collections.unmodifiableMap(new LinkedHashMap<>(urls));
    Map<String, List<URI>> all = new LinkedHashMap<>();
    for (Map.Entry<String, URI> e : urls.entrySet()) {
      List<URI> listed = replicas == null ? null : replicas.get(e.getKey());
      if (listed != null && (listed.isEmpty() || !listed.getFirst().equals(e.getValue()))) {
        throw new IllegalArgumentException(
            "the admin URLs of "
                + e.getKey()
                + "'s replicas "
                + listed
                + " must start with its URL "
                + e.getValue());
      }
      all.put(e.getKey(), List.copyOf(listed == null ? List.of(e.getValue()) : listed));
    }
    replicas = Collections.unmodifiableMap(all);
  }

  /**
   * The admin APIs of services that run once each.
   *
   * @param urls base URL per service name ({@code catalog}, {@code payments})
   * @param token the bearer token
   */
  public StackAdmin(Map<String, URI> urls, String token) {
    this(urls, token, Map.of());
  }

  /**
   * Reads the admin URLs and token of the stack whose state lives in a directory.
   *
   * @param stateDir the stack's state directory, normally {@code .vigil}
   * @return the URLs of catalog and payments and the token
   * @throws IllegalStateException when no stack was started there (says to run {@code ./vigil up})
   */
  public static StackAdmin read(Path stateDir) {
    StackLayout layout = new StackLayout(stateDir);
    StackState state =
        new StackStateFile(layout.stateFile())
            .read()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no local stack recorded in "
                            + layout.stateFile()
                            + "; start one with ./vigil up"));
    StackPorts ports = state.profile().ports();
    if (ports.catalogAdmin() == 0 || ports.paymentsAdmin() == 0) {
      throw new IllegalStateException(
          "the stack in "
              + stateDir
              + " was started by a vigil without admin APIs; run ./vigil down and ./vigil up");
    }
    Map<String, URI> urls = new LinkedHashMap<>();
    urls.put("catalog", URI.create("http://" + LaunchPlan.HOST + ":" + ports.catalogAdmin()));
    urls.put("payments", URI.create("http://" + LaunchPlan.HOST + ":" + ports.paymentsAdmin()));
    // the ha topology's catalog replicas each have their own admin port
    int catalogs = Math.max(1, state.profile().topology().replicas(Component.CATALOG));
    List<URI> catalogReplicas = new ArrayList<>();
    for (int n = 1; n <= catalogs; n++) {
      catalogReplicas.add(
          URI.create(
              "http://"
                  + LaunchPlan.HOST
                  + ":"
                  + ports.catalogAdmin(new Replica(Component.CATALOG, n, catalogs))));
    }
    return new StackAdmin(urls, readToken(layout), Map.of("catalog", catalogReplicas));
  }

  /**
   * The base URL of one service's admin API.
   *
   * @param service {@code catalog} or {@code payments}
   * @return e.g. {@code http://127.0.0.1:8010}
   * @throws IllegalArgumentException naming the accepted services
   */
  public URI url(String service) {
    URI url = urls.get(service);
    if (url == null) {
      throw new IllegalArgumentException(
          "no admin API for service '" + service + "'; use one of " + urls.keySet());
    }
    return url;
  }

  /**
   * The base URLs of every replica's admin API of a service.
   *
   * @param service {@code catalog} or {@code payments}
   * @return one URL per replica in replica order, e.g. {@code [http://127.0.0.1:8010,
   *     http://127.0.0.1:8012]} for the ha topology's catalog; one URL for a service that runs once
   * @throws IllegalArgumentException naming the accepted services
   */
  public List<URI> replicaUrls(String service) {
    url(service); // the same message for an unknown service
    return replicas.get(service);
  }

  /**
   * A client of one service's admin API with this stack's token: its first replica's, when it runs
   * several ({@link #replicaUrls(String)} lists them all).
   *
   * @param service {@code catalog} or {@code payments}
   * @return the client, with {@link AdminClient#TIMEOUT}
   * @throws IllegalArgumentException naming the accepted services
   */
  public AdminClient client(String service) {
    return new AdminClient(url(service), token);
  }

  /**
   * The {@code Authorization} header value.
   *
   * @return {@code Bearer <token>}
   */
  public String authorization() {
    return "Bearer " + token;
  }

  @Override
  public String toString() {
    return "StackAdmin[urls=" + urls + ", replicas=" + replicas + ", token=***]";
  }

  /**
   * Writes a fresh random token (32 bytes from {@link SecureRandom}, base64url) to {@link
   * StackLayout#adminToken()}, readable by its owner only (0600) from the moment it exists.
   *
   * @param layout the stack's layout
   * @return the token
   * @throws UncheckedIOException when the file cannot be written
   */
  static String writeToken(StackLayout layout) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Path file = layout.adminToken();
    try {
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(TOKEN_FILE + ".partial");
      Files.deleteIfExists(partial);
      try {
        Files.createFile(
            partial,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(partial); // not a POSIX file system
      } catch (FileAlreadyExistsException e) {
        throw new IOException("another vigil up is writing " + partial, e);
      }
      Files.writeString(partial, token + "\n", StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the admin token " + file + ": " + e, e);
    }
  }

  /**
   * The payment API's token of a local stack, derived from its admin token (SHA-256 of a fixed
   * label and the admin token, base64url: 43 characters), so that {@code up} keeps one secret file
   * and the payment token reveals nothing of the admin token.
   *
   * @param adminToken the stack's admin token
   * @return the token passed to payments and the catalog as {@value #PAYMENTS_TOKEN_VARIABLE}
   */
  static String paymentsToken(String adminToken) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(("vigil-payments-token:" + adminToken).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Reads the token {@code up} wrote.
   *
   * @param layout the stack's layout
   * @return the token
   * @throws IllegalStateException when the file is missing or empty (says to run {@code ./vigil
   *     up})
   */
  static String readToken(StackLayout layout) {
    Path file = layout.adminToken();
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalStateException(file + " is empty; run ./vigil down and ./vigil up");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the admin token " + file + " (" + e.getMessage() + "); run ./vigil up", e);
    }
  }
}
