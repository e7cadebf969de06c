package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.prometheus.PrometheusTool;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PromQL links of the runbooks (http://127.0.0.1:9090/graph?g0.expr=...) are queries Prometheus
 * can parse: each is decoded and handed to {@code promtool check rules} as a recording rule.
 */
class RunbookQueriesTest {

  private static final Pattern GRAPH_LINK =
      Pattern.compile("http://127\\.0\\.0\\.1:9090/graph\\?g0\\.expr=([^&)\\s]+)");

  @Test
  void everyPromqlLinkParses(@TempDir Path work) throws IOException {
    PrometheusTool promtool = PrometheusTool.PROMTOOL;
    List<String> queries = new ArrayList<>();
    try (Stream<Path> runbooks =
        Files.list(SourceTree.root().resolve("docs").resolve("runbooks"))) {
      for (Path runbook : runbooks.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        Matcher link = GRAPH_LINK.matcher(Files.readString(runbook));
        while (link.find()) {
          queries.add(URLDecoder.decode(link.group(1), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(queries).as("PromQL links in docs/runbooks").isNotEmpty();

    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode document = yaml.createObjectNode();
    ObjectNode group = document.putArray("groups").addObject();
    group.put("name", "runbook-queries");
    ArrayNode rules = group.putArray("rules");
    for (int i = 0; i < queries.size(); i++) {
      rules.addObject().put("record", "runbook:query" + i + ":check").put("expr", queries.get(i));
    }
    Path file =
        Files.writeString(work.resolve("runbook-queries.yml"), yaml.writeValueAsString(document));

    PrometheusTool.Result result =
        promtool.run(work, "check", "rules", file.getFileName().toString());
    assertThat(result.succeeded())
        .as(
            "promtool rejected a runbook query:%n%s%nqueries:%n%s",
            result.output(), String.join("\n", queries))
        .isTrue();
  }
}
