package dev.vigil.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The databases the catalog's behaviour tests run on: its embedded H2 file database and a real
 * PostgreSQL. Use with {@code @ParameterizedTest @EnumSource(TestDatabase.class)}; each call of
 * {@link #env(Path)} gives a fresh, empty database. One PostgreSQL server is started for the whole
 * test run, on first use, and stopped when the JVM exits.
 */
public enum TestDatabase {

  /** The embedded H2 file database under the test's data directory. */
  H2,

  /** A fresh database on the shared PostgreSQL server. */
  POSTGRESQL;

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static PostgresServer postgres;

  /**
   * The catalog's environment for a fresh database of this kind.
   *
   * @param dataDir the test's data directory (H2 lives there)
   * @return {@code VIGIL_DATA_DIR} and, for PostgreSQL, {@code VIGIL_DB_URL} and {@code
   *     VIGIL_DB_USER}
   */
  public Map<String, String> env(Path dataDir) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("VIGIL_DATA_DIR", dataDir.toString()));
    if (this == POSTGRESQL) {
      PostgresServer server = postgres();
      String name = "catalog_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "");
          Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + name);
      }
      env.put("VIGIL_DB_URL", server.jdbcUrl().replace("/postgres", "/" + name));
      env.put("VIGIL_DB_USER", "postgres");
    }
    return env;
  }

  private static synchronized PostgresServer postgres() throws Exception {
    if (postgres == null) {
      postgres = PostgresServer.start();
      PostgresServer started = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      started.close();
                    } catch (Exception e) {
                      // the JVM is exiting; the data directory is a temporary one
                    }
                  }));
    }
    return postgres;
  }
}
