package dev.vigil.telemetry.profiling;

import java.io.IOException;
import java.text.ParseException;
import java.util.Locale;
import jdk.jfr.Configuration;

/**
 * The JDK's two built-in JFR configurations ({@code $JAVA_HOME/lib/jfr/*.jfc}).
 *
 * <ul>
 *   <li>{@link #DEFAULT}: low overhead, meant to run always (execution samples every 20 ms, monitor
 *       waits over 20 ms, allocation samples throttled to 150/s);
 *   <li>{@link #PROFILE}: more detail for a while (samples every 10 ms, monitor waits over 10 ms,
 *       allocation samples 300/s).
 * </ul>
 */
public enum ProfileSettings {
  /** {@code default.jfc}. */
  DEFAULT("default"),
  /** {@code profile.jfc}. */
  PROFILE("profile");

  private final String jfcName;

  ProfileSettings(String jfcName) {
    this.jfcName = jfcName;
  }

  /** The configuration's name, {@code default} or {@code profile}. */
  public String jfcName() {
    return jfcName;
  }

  /**
   * The JDK's configuration of this name.
   *
   * @return the event settings
   * @throws IllegalStateException when the JDK does not ship it (a stripped runtime image)
   */
  public Configuration configuration() {
    try {
      return Configuration.getConfiguration(jfcName);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException(
          "this JDK has no JFR configuration '" + jfcName + "': run the service on a full JDK", e);
    }
  }

  /**
   * Parses a name as given on the command line or in a query parameter.
   *
   * @param name {@code default} or {@code profile}, any case
   * @return the settings
   * @throws IllegalArgumentException naming the accepted values when the name is neither
   */
  public static ProfileSettings parse(String name) {
    for (ProfileSettings settings : values()) {
      if (settings.jfcName.equals(name.trim().toLowerCase(Locale.ROOT))) {
        return settings;
      }
    }
    throw new IllegalArgumentException(
        "settings '" + name + "' is not a JFR configuration: use default or profile");
  }
}
