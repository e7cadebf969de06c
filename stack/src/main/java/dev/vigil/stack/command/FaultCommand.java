package dev.vigil.stack.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.stack.AdminClient;
import dev.vigil.stack.StackAdmin;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil fault list|set|clear}: the injected faults of the local stack's services, through
 * their admin APIs ({@link StackAdmin}: the ports and the token {@code ./vigil up} wrote). A
 * service that runs several replicas (the ha topology's catalogs) gets each change on every
 * replica, named in the output ({@code catalog-1}, {@code catalog-2}); a set that one replica
 * refuses is cleared again on the others.
 *
 * <p>Exit codes: 0 done, 1 the admin API refused or could not be reached (the message says why), 2
 * usage error.
 */
@Command(
    name = "fault",
    mixinStandardHelpOptions = true,
    description = {
      "List, set and clear injected faults in the local stack's catalog and payment provider.",
      "Catalog: http_errors (--target ROUTE, --param ratio=0..1 [--param status=500..599]),",
      "  http_latency (--target ROUTE, --param fixed_ms=N | --param mean_ms=N --param jitter_ms=N),",
      "  db_slow_statement (--target STATEMENT, --param seconds=N), db_unavailable, cache_disabled,",
      "  worker_stalled. Payments: payment_errors (--param ratio=0..1), payment_latency",
      "  (--param fixed_ms=N), payment_unreachable. --ttl 10m makes a fault heal by itself.",
      "Every change is logged by the service with who set it; vigil_fault_active shows it."
    },
    subcommands = {FaultCommand.ListFaults.class, FaultCommand.Set.class, FaultCommand.Clear.class})
public final class FaultCommand {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SERVICES = List.of("catalog", "payments");

  /** {@code vigil fault list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Show the active faults of the catalog and the payment provider.")
  public static final class ListFaults implements Callable<Integer> {
    @Option(
        names = "--service",
        paramLabel = "SERVICE",
        description = "catalog or payments (default: both)")
    String service;

    @Mixin StateDirOption state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return run(
          spec,
          state,
          admin -> {
            PrintWriter out = spec.commandLine().getOut();
            int shown = 0;
            for (String s : service == null ? SERVICES : List.of(checked(spec, service))) {
              for (Replica r : replicas(admin, s)) {
                JsonNode faults = send(r, c -> c.get("/admin/faults")).path("faults");
                for (JsonNode f : faults) {
                  out.println(r.name() + "  " + describe(f));
                  shown++;
                }
              }
            }
            if (shown == 0) {
              out.println("no faults active");
            }
          });
    }
  }

  /** {@code vigil fault set FAULT}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Turn a fault on (replacing the same fault on the same target).")
  public static final class Set implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FAULT", description = "e.g. http_errors")
    String fault;

    @Option(
        names = "--service",
        paramLabel = "SERVICE",
        description = "catalog or payments (default: payments for payment_*, else catalog)")
    String service;

    @Option(
        names = "--target",
        paramLabel = "TARGET",
        description = "route template or statement name (default: *, everything)")
    String target;

    @Option(
        names = "--param",
        paramLabel = "NAME=NUMBER",
        description = "a parameter, e.g. ratio=0.5 (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "heal by itself after this long, e.g. 10m or 1h (default: never)")
    String ttl;

    @Mixin StateDirOption state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ObjectNode body = JSON.createObjectNode();
      if (target != null) {
        body.put("target", target);
      }
      ObjectNode p = body.putObject("params");
      for (Map.Entry<String, String> e : params.entrySet()) {
        try {
          p.put(e.getKey(), new java.math.BigDecimal(e.getValue()));
        } catch (NumberFormatException ex) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "--param " + e.getKey() + "=" + e.getValue() + ": the value must be a number");
        }
      }
      if (ttl != null) {
        body.put("ttl", ttl);
      }
      String s =
          service == null ? (fault.startsWith("payment_") ? "payments" : "catalog") : service;
      return run(
          spec,
          state,
          admin -> {
            List<Replica> set = new ArrayList<>();
            for (Replica r : replicas(admin, checked(spec, s))) {
              JsonNode entry;
              try {
                entry = send(r, c -> c.put("/admin/faults/" + encode(fault), body));
              } catch (AdminFailure e) {
                throw new AdminFailure(e.getMessage() + undo(set));
              }
              set.add(r);
              spec.commandLine().getOut().println(r.name() + "  " + describe(entry));
            }
          });
    }

    /**
     * Clears this fault again on the replicas where it was set before another refused it, so that a
     * service never runs it on some replicas only.
     *
     * @param set the replicas already set, in order
     * @return what the user reads after the refusal: which replicas were undone, or where undoing
     *     failed too
     */
    private String undo(List<Replica> set) {
      if (set.isEmpty()) {
        return "";
      }
      String path =
          "/admin/faults/" + encode(fault) + "?target=" + encode(target == null ? "*" : target);
      List<String> undone = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (Replica r : set) {
        try {
          send(r, c -> c.delete(path));
          undone.add(r.name());
        } catch (AdminFailure e) {
          failed.add(e.getMessage());
        }
      }
      return (undone.isEmpty() ? "" : "; cleared again on " + String.join(", ", undone))
          + (failed.isEmpty()
              ? ""
              : "; could not clear it again ("
                  + String.join("; ", failed)
                  + "): run vigil fault clear "
                  + fault);
    }
  }

  /** {@code vigil fault clear [FAULT]}. */
  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Turn a fault off (on one target with --target), or every fault without FAULT.")
  public static final class Clear implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "FAULT",
        description = "the fault to clear (default: every fault)")
    String fault;

    @Option(
        names = "--service",
        paramLabel = "SERVICE",
        description = "catalog or payments (default: both, or the fault's service)")
    String service;

    @Option(names = "--target", paramLabel = "TARGET", description = "only this target")
    String target;

    @Mixin StateDirOption state;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<String> services;
      if (service != null) {
        services = List.of(checked(spec, service));
      } else if (fault != null) {
        services = List.of(fault.startsWith("payment_") ? "payments" : "catalog");
      } else {
        services = SERVICES;
      }
      String path =
          fault == null
              ? "/admin/faults"
              : "/admin/faults/"
                  + encode(fault)
                  + (target == null ? "" : "?target=" + encode(target));
      return run(
          spec,
          state,
          admin -> {
            PrintWriter out = spec.commandLine().getOut();
            List<String> failed = new ArrayList<>();
            for (String s : services) {
              for (Replica r : replicas(admin, s)) {
                try {
                  int active = matching(send(r, c -> c.get("/admin/faults")).path("faults"));
                  send(r, c -> c.delete(path));
                  String what =
                      fault == null
                          ? "fault"
                          : fault + (target == null ? "" : " on target " + target);
                  out.println(
                      active == 0
                          ? r.name() + "  no " + what + " was active: nothing to clear"
                          : r.name()
                              + "  cleared "
                              + (fault == null ? active + " fault(s)" : what));
                } catch (AdminFailure e) {
                  failed.add(e.getMessage());
                }
              }
            }
            if (!failed.isEmpty()) {
              throw new AdminFailure(String.join("; ", failed));
            }
          });
    }

    /**
     * How many of a service's active faults this command is about to clear.
     *
     * @param faults the {@code faults} array of {@code GET /admin/faults}
     * @return those with this fault's name (and target, when given); every one without a name
     */
    private int matching(JsonNode faults) {
      int count = 0;
      for (JsonNode f : faults) {
        boolean named = fault == null || fault.equals(f.path("fault").asText());
        boolean targeted = target == null || target.equals(f.path("target").asText());
        count += named && targeted ? 1 : 0;
      }
      return count;
    }
  }

  /** Work against the admin APIs that may fail with a message for the user. */
  private interface AdminWork {
    void run(StackAdmin admin) throws AdminFailure;
  }

  /** The admin API refused or could not be reached; the message says why and what to do. */
  private static final class AdminFailure extends Exception {
    AdminFailure(String message) {
      super(message, null, false, false);
    }
  }

  private static int run(CommandSpec spec, StateDirOption state, AdminWork work) {
    try {
      work.run(StackAdmin.read(state.stack().layout().root()));
      spec.commandLine().getOut().flush();
      return 0;
    } catch (IllegalStateException | AdminFailure e) {
      spec.commandLine().getErr().println("vigil fault: " + e.getMessage());
      return 1;
    }
  }

  private static String checked(CommandSpec spec, String service) {
    if (!SERVICES.contains(service)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--service " + service + ": use catalog or payments");
    }
    return service;
  }

  /** One request to an admin API. */
  private interface AdminCall {
    AdminClient.Answer on(AdminClient client) throws IOException;
  }

  /**
   * One replica's admin API.
   *
   * @param name what the output calls it: the service's name, or e.g. {@code catalog-2} when the
   *     service runs several replicas
   * @param client its admin client
   */
  private record Replica(String name, AdminClient client) {}

  /**
   * Every replica of a service: a fault is the service's, so it goes to each (the ha topology's
   * catalogs behind HAProxy), or HAProxy would send part of the traffic to a replica without it.
   */
  private static List<Replica> replicas(StackAdmin admin, String service) {
    List<URI> urls = admin.replicaUrls(service);
    if (urls.size() <= 1) {
      return List.of(new Replica(service, admin.client(service)));
    }
    List<Replica> out = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      out.add(new Replica(service + "-" + (i + 1), new AdminClient(urls.get(i), admin.token())));
    }
    return out;
  }

  private static JsonNode send(Replica replica, AdminCall call) throws AdminFailure {
    AdminClient client = replica.client();
    try {
      AdminClient.Answer answer = call.on(client);
      if (!answer.ok()) {
        throw new AdminFailure(
            replica.name() + " answered " + answer.status() + ": " + answer.detail());
      }
      return answer.json();
    } catch (IOException e) {
      throw new AdminFailure(
          "the "
              + replica.name()
              + " admin API at "
              + client.base()
              + " does not answer ("
              + e.getClass().getSimpleName()
              + "); is the stack up (./vigil status)?");
    }
  }

  private static String describe(JsonNode f) {
    List<String> params = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = f.path("params").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      params.add(e.getKey() + "=" + e.getValue().asText());
    }
    return f.path("fault").asText()
        + "  target="
        + f.path("target").asText()
        + (params.isEmpty() ? "" : "  " + String.join(" ", params))
        + "  set by "
        + f.path("setBy").asText()
        + " at "
        + f.path("since").asText()
        + (f.path("expiresAt").isNull() || f.path("expiresAt").isMissingNode()
            ? ", no expiry"
            : ", expires " + f.path("expiresAt").asText());
  }

  private static String encode(String s) {
    return AdminClient.encode(s);
  }
}
