package dev.vigil.slo.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.ConstructorException;
import org.snakeyaml.engine.v2.exceptions.DuplicateKeyException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads spec YAML strictly with SnakeYAML Engine (YAML 1.2 core schema): duplicate keys refused
 * ({@code setAllowDuplicateKeys(false)}), anchors and aliases resolved with an expansion limit
 * ({@code setMaxAliasesForCollections}: a "billion laughs" file is refused, not expanded), no
 * recursive keys ({@code setAllowRecursiveKeys(false)}) and no collection that contains itself, and
 * merge keys ({@code <<: *base}, YAML 1.1 only, which the 1.2 core schema would keep as a literal
 * key named {@code <<}) refused at their line and column. Numbers keep the exact decimal written
 * ({@code 99.90} is read as {@link BigDecimal}, never through a double).
 */
final class SpecYaml {

  /** Aliases to collections allowed per file: a spec reuses a few blocks, not thousands. */
  static final int MAX_ALIASES_FOR_COLLECTIONS = 50;

  /**
   * A YAML error at a position.
   *
   * @param message what is wrong, with {@code at line L, column C} when the position is known
   */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private SpecYaml() {}

  /**
   * One YAML document.
   *
   * @param tree the document as a Jackson tree (numbers as exact decimals)
   * @param positions where each field stands: line and column (1-based) by field path relative to
   *     the document's root ({@code ""}), see {@link SpecPositions}
   */
  record Document(JsonNode tree, Map<String, int[]> positions) {}

  /**
   * @param text the file's text
   * @param label the file name used in positions
   * @param maxCodePoints the largest document accepted
   * @return the documents, nulls skipped
   * @throws Invalid for any YAML error, with its line and column
   */
  static List<Document> documents(String text, String label, int maxCodePoints) throws Invalid {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(label)
            .setAllowDuplicateKeys(false)
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
            .setCodePointLimit(maxCodePoints)
            .build();
    List<Document> docs = new ArrayList<>();
    try {
      // Load's own steps (compose, then construct each document), so the composed nodes' marks can
      // be kept alongside the tree
      ExactConstructor constructor = new ExactConstructor(settings);
      for (Node node : new Compose(settings).composeAllFromString(text)) {
        Object doc = constructor.constructSingleDocument(Optional.of(node));
        if (doc != null) {
          // the tree first: it refuses a collection that contains itself, which index would follow
          JsonNode tree = tree(doc, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
          Map<String, int[]> positions = new HashMap<>();
          index(node, "", positions, true);
          docs.add(new Document(tree, positions));
        }
      }
    } catch (DuplicateKeyException e) {
      throw new Invalid(
          "duplicate key '"
              + e.getProblem().replaceFirst("^found duplicate key ", "")
              + "'"
              + at(e.getProblemMark())
              + " (YAML keys are unique; the second would silently win)");
    } catch (MarkedYamlEngineException e) {
      String problem = e.getProblem() == null ? "" : e.getProblem().strip();
      throw new Invalid(problem + at(e.getProblemMark().or(e::getContextMark)));
    } catch (YamlEngineException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().strip();
      if (message.startsWith("Number of aliases for non-scalar nodes exceeds")) {
        message =
            "more than "
                + MAX_ALIASES_FOR_COLLECTIONS
                + " aliases (*name) to lists or maps: refused rather than expanded (an alias bomb"
                + " grows exponentially)";
      }
      throw new Invalid(message.lines().findFirst().orElse(message));
    }
    return docs;
  }

  /**
   * Records the start of {@code node} at {@code path} and of every field below it; list items that
   * are maps with a scalar {@code name} also under {@code list[<name>]}, a document's root with
   * {@code metadata.name} also under {@code metadata.name=<name>} (the paths SLOs of OpenSLO files
   * carry).
   */
  private static void index(Node node, String path, Map<String, int[]> out, boolean root) {
    if (out.size() >= SpecPositions.MAX_FIELDS || out.containsKey(path)) {
      return;
    }
    node.getStartMark()
        .ifPresent(m -> out.put(path, new int[] {m.getLine() + 1, m.getColumn() + 1}));
    if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          index(t.getValueNode(), child, out, false);
        }
      }
      if (root) {
        scalar(map, "metadata")
            .filter(MappingNode.class::isInstance)
            .flatMap(meta -> scalar((MappingNode) meta, "name"))
            .filter(ScalarNode.class::isInstance)
            .ifPresent(
                name -> index(name, "metadata.name=" + ((ScalarNode) name).getValue(), out, false));
      }
    } else if (node instanceof SequenceNode list) {
      List<Node> items = list.getValue();
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        index(item, path + "[" + i + "]", out, false);
        if (item instanceof MappingNode m) {
          scalar(m, "name")
              .filter(ScalarNode.class::isInstance)
              .ifPresent(
                  n -> index(item, path + "[" + ((ScalarNode) n).getValue() + "]", out, false));
        }
      }
    }
  }

  /** The value of the key {@code name} in {@code map}, if written. */
  private static Optional<Node> scalar(MappingNode map, String name) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
        return Optional.of(t.getValueNode());
      }
    }
    return Optional.empty();
  }

  private static String at(Optional<Mark> mark) {
    return mark.map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
        .orElse("");
  }

  /** Java objects from the constructor to Jackson nodes; a collection inside itself is refused. */
  private static JsonNode tree(Object value, Set<Object> ancestors) throws Invalid {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      if (!ancestors.add(value)) {
        throw new Invalid(
            "an alias (*name) refers to a list or map that contains it: the document would be"
                + " infinite");
      }
      JsonNode out;
      if (value instanceof Map<?, ?> map) {
        ObjectNode o = f.objectNode();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          o.set(String.valueOf(e.getKey()), tree(e.getValue(), ancestors));
        }
        out = o;
      } else {
        ArrayNode a = f.arrayNode();
        for (Object item : (List<?>) value) {
          a.add(tree(item, ancestors));
        }
        out = a;
      }
      ancestors.remove(value);
      return out;
    }
    return switch (value) {
      case BigDecimal d -> f.numberNode(d);
      case BigInteger i -> f.numberNode(i);
      case Integer i -> f.numberNode(i);
      case Long l -> f.numberNode(l);
      case Boolean b -> f.booleanNode(b);
      default -> f.textNode(String.valueOf(value));
    };
  }

  /**
   * Engine's standard constructor with floats as exact decimals and merge keys refused at their
   * position.
   */
  private static final class ExactConstructor extends StandardConstructor {
    ExactConstructor(LoadSettings settings) {
      super(settings);
      tagConstructors.put(
          Tag.FLOAT,
          node -> {
            String text = ((ScalarNode) node).getValue();
            try {
              return new BigDecimal(text.replace("_", ""));
            } catch (NumberFormatException infinityOrNan) {
              return text;
            }
          });
    }

    /**
     * A standard tag on the wrong kind of node ({@code !!float} on a map, {@code !!map} on a
     * number) or on a value it cannot read ({@code !!binary} with a non-base64 character) makes
     * Engine's constructors fail with a ClassCastException or an IllegalArgumentException: refused
     * at its position instead.
     */
    @Override
    protected Object constructObject(Node node) {
      try {
        return super.constructObject(node);
      } catch (YamlEngineException alreadyPlaced) {
        throw alreadyPlaced;
      } catch (ClassCastException | IllegalArgumentException unreadable) {
        String kind =
            node instanceof MappingNode ? "map" : node instanceof SequenceNode ? "list" : "value";
        String why =
            unreadable instanceof ClassCastException ? "" : " (" + unreadable.getMessage() + ")";
        throw new ConstructorException(
            null,
            Optional.empty(),
            "the tag "
                + node.getTag().getValue()
                + " does not fit this "
                + kind
                + why
                + ": remove or fix the tag",
            node.getStartMark());
      }
    }

    @Override
    protected void constructMapping2ndStep(MappingNode node, Map<Object, Object> mapping) {
      for (NodeTuple tuple : node.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals("<<")
            && key.isPlain()) {
          throw new ConstructorException(
              "while reading a map",
              node.getStartMark(),
              "merge keys ('<<: *name') are YAML 1.1 only and not read here: write the keys out,"
                  + " or use an alias for the whole value ('key: *name')",
              key.getStartMark());
        }
      }
      super.constructMapping2ndStep(node, mapping);
    }
  }
}
