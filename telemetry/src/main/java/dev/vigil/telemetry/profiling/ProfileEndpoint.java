package dev.vigil.telemetry.profiling;

import dev.vigil.telemetry.http.Problem;
import dev.vigil.telemetry.http.ProblemResponses;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code POST /admin/profile?seconds=N&settings=profile}: records the service with JDK Flight
 * Recorder for N seconds (1..{@value ProfileRecorder#MAX_SECONDS}, default {@value
 * #DEFAULT_SECONDS}), saves the recording and answers its summary as Markdown ({@code
 * text/markdown}), with the file's path in {@value #FILE_HEADER}. The request stays open for the
 * whole recording.
 *
 * <ul>
 *   <li>{@code settings}: {@code default} or {@code profile} (default {@code profile});
 *   <li>400 problem+json when {@code seconds} or {@code settings} is invalid, naming the fix;
 *   <li>409 problem+json while another profile runs.
 * </ul>
 *
 * Mounted on the admin server (token, loopback).
 */
public final class ProfileEndpoint implements Handler {

  /** Seconds recorded when the request does not say. */
  public static final int DEFAULT_SECONDS = 30;

  /** The response header naming the saved recording. */
  public static final String FILE_HEADER = "X-Profile-File";

  private final ProfileRecorder recorder;

  /**
   * @param recorder the service's recorder
   */
  public ProfileEndpoint(ProfileRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void handle(Context ctx) throws Exception {
    int seconds;
    ProfileSettings settings;
    try {
      seconds = seconds(ctx.queryParam("seconds"));
      String name = ctx.queryParam("settings");
      settings = name == null ? ProfileSettings.PROFILE : ProfileSettings.parse(name);
    } catch (IllegalArgumentException e) {
      ProblemResponses.write(ctx, Problem.of(400, e.getMessage()));
      return;
    }
    ProfileRecorder.Profile profile;
    try {
      profile = recorder.record(seconds, settings);
    } catch (ProfileRecorder.ProfileInProgressException e) {
      ProblemResponses.write(
          ctx,
          Problem.of(409, e.getMessage() + " and retry")
              .with("started_at", e.startedAt().toString()));
      return;
    }
    ctx.header(FILE_HEADER, profile.file().toString())
        .contentType("text/markdown; charset=utf-8")
        .result(profile.toMarkdown(recorder.service()));
  }

  private static int seconds(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_SECONDS;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > ProfileRecorder.MAX_SECONDS) {
      throw new IllegalArgumentException(
          "seconds '"
              + value
              + "' is not a whole number from 1 to "
              + ProfileRecorder.MAX_SECONDS
              + ": e.g. ?seconds=30");
    }
    return seconds;
  }
}
