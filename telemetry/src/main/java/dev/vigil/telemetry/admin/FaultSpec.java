package dev.vigil.telemetry.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What one kind of fault is: its name (a {@code vigil_fault_active} label value), the targets it
 * can act on (route templates, statement names, or only {@link #ANY_TARGET}), its parameters and
 * the rule that ties them together. A service declares its specs once, at start; the set never
 * grows, so neither does the metric.
 *
 * @param name e.g. {@code http_errors}
 * @param description one sentence: the symptom it produces
 * @param targetSource the accepted targets, in a stable order; {@link #ANY_TARGET} among them when
 *     the fault may act on everything. Read at each validation, so that a service may name targets
 *     it declares after the spec (its route table, its named statements); they must come from the
 *     service's code, never from requests
 * @param params the parameters, in the order they are documented
 * @param rule checks a combination of parameters (values already in range): an error sentence
 *     naming the fix, or empty when accepted
 */
public record FaultSpec(
    String name,
    String description,
    Supplier<? extends Collection<String>> targetSource,
    List<FaultParam> params,
    Function<Map<String, Number>, Optional<String>> rule) {

  /** The target meaning "everything this fault can act on". */
  public static final String ANY_TARGET = "*";

  /** Copies the parameters. */
  public FaultSpec {
    params = List.copyOf(params);
  }

  /**
   * The accepted targets now.
   *
   * @return the targets in a stable order
   */
  public Set<String> targets() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(targetSource.get()));
  }

  /**
   * Starts a spec.
   *
   * @param name the fault's name, lower snake case, e.g. {@code http_errors}
   * @param description the symptom it produces, one sentence
   * @return a builder whose only target is {@link #ANY_TARGET} until {@link Builder#targets} is
   *     called
   */
  public static Builder builder(String name, String description) {
    return new Builder(name, description);
  }

  /**
   * Validates and completes a caller's parameters.
   *
   * @param given the parameters sent, by name (any JSON number)
   * @return every parameter with a value (defaults filled in), whole ones as {@link Long}
   * @throws FaultRejected naming the field ({@code params.<name>}) and what is accepted
   */
  public Map<String, Number> validate(Map<String, ? extends Number> given) {
    Map<String, Number> out = new LinkedHashMap<>();
    for (String key : given.keySet()) {
      if (params.stream().noneMatch(p -> p.name().equals(key))) {
        throw new FaultRejected(
            "params." + key,
            name
                + " has no parameter '"
                + key
                + "'; its parameters are "
                + (params.isEmpty()
                    ? "none: send no params"
                    : String.join(", ", params.stream().map(FaultParam::name).toList())));
      }
    }
    for (FaultParam p : params) {
      Number raw = given.get(p.name());
      if (raw == null) {
        if (p.required()) {
          throw new FaultRejected(
              "params." + p.name(),
              name + " needs params." + p.name() + ": " + p.meaning() + ", " + p.accepted());
        }
        if (p.defaultValue() != null) {
          out.put(p.name(), p.normalise(p.defaultValue()));
        }
        continue;
      }
      double v = raw.doubleValue();
      if (!(v >= p.min() && v <= p.max()) || (p.whole() && v != Math.rint(v))) {
        throw new FaultRejected(
            "params." + p.name(),
            "params."
                + p.name()
                + " of "
                + name
                + " is "
                + raw
                + "; send "
                + p.accepted()
                + " ("
                + p.meaning()
                + ")");
      }
      out.put(p.name(), p.normalise(v));
    }
    Optional<String> broken = rule.apply(out);
    if (broken.isPresent()) {
      throw new FaultRejected("params", broken.get());
    }
    return out;
  }

  /**
   * Checks a target.
   *
   * @param target the caller's target, or {@code null} for {@link #ANY_TARGET}
   * @return the target to record
   * @throws FaultRejected naming the field {@code target} and the accepted values
   */
  public String target(String target) {
    String t = target == null || target.isBlank() ? ANY_TARGET : target;
    Set<String> targets = targets();
    if (!targets.contains(t)) {
      throw new FaultRejected(
          "target",
          name
              + " cannot act on target '"
              + t
              + "'; send one of "
              + String.join(", ", targets)
              + (targets.contains(ANY_TARGET) ? " (or leave target out for *)" : ""));
    }
    return t;
  }

  /** Builds a {@link FaultSpec}. */
  public static final class Builder {
    private final String name;
    private final String description;
    private Supplier<? extends Collection<String>> targets = () -> List.of(ANY_TARGET);
    private final List<FaultParam> params = new ArrayList<>();
    private Function<Map<String, Number>, Optional<String>> rule = p -> Optional.empty();

    private Builder(String name, String description) {
      this.name = name;
      this.description = description;
    }

    /**
     * Sets the accepted targets.
     *
     * @param accepted e.g. the route templates; include {@link #ANY_TARGET} to accept "all"
     * @return this builder
     */
    public Builder targets(Collection<String> accepted) {
      List<String> copy = List.copyOf(accepted);
      targets = () -> copy;
      return this;
    }

    /**
     * Sets the accepted targets to a set the service completes after this spec is built.
     *
     * @param accepted read at each validation, e.g. the route templates of the service's router
     *     plus {@link #ANY_TARGET}
     * @return this builder
     */
    public Builder targets(Supplier<? extends Collection<String>> accepted) {
      targets = accepted;
      return this;
    }

    /**
     * Adds a parameter.
     *
     * @param param the parameter
     * @return this builder
     */
    public Builder param(FaultParam param) {
      params.add(param);
      return this;
    }

    /**
     * Sets the rule over a combination of parameters.
     *
     * @param check gets the validated parameters; returns an error sentence naming the fix, or
     *     empty
     * @return this builder
     */
    public Builder rule(Function<Map<String, Number>, Optional<String>> check) {
      this.rule = check;
      return this;
    }

    /** The spec. */
    public FaultSpec build() {
      return new FaultSpec(name, description, targets, params, rule);
    }
  }
}
