package dev.vigil.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Puts what a bench run rendered into the existing docs/performance.md without losing anything the
 * run did not render: the document is cut at its level-2 ({@code ##}) and level-3 ({@code ###})
 * headings (outside fenced code blocks); a section or subsection of the run replaces the one with
 * the same heading in place, every other one (hand-written sections, subsections added by hand
 * inside a generated section, sections of parts this run did not measure) stays where it is, and a
 * section the file did not have yet goes after its predecessor in the run's order.
 *
 * <p>Headings are compared with each run of digits replaced by {@code #}, so that a heading
 * carrying a setting ("## Memory after 1,000,000 requests", "(hey -q, 32 workers)") is the same
 * section after the setting changes.
 */
final class ReportMerge {

  private static final Pattern NUMBER = Pattern.compile("\\d[\\d,.]*");

  private ReportMerge() {}

  /**
   * Merges a run's report into the previous one.
   *
   * @param previous the existing document, or empty
   * @param rendered what this run rendered: its title and introduction (blank when the run keeps
   *     the previous ones, as a run of some parts does) and the sections it measured
   * @return {@code previous} with every section and subsection of {@code rendered} in place of the
   *     one with the same heading, the others unchanged
   */
  static String merge(String previous, String rendered) {
    return merge(previous, rendered, List.of());
  }

  /**
   * Merges a run's report into the previous one, placing a section the previous one lacks by an
   * order of headings when its neighbours in {@code rendered} are not there (a run of one part
   * renders one section).
   *
   * @param previous the existing document, or empty
   * @param rendered what this run rendered
   * @param order level-2 heading lines in the order the generated sections take
   * @return the merged document
   */
  static String merge(String previous, String rendered, List<String> order) {
    Doc old = Doc.parse(previous);
    Doc fresh = Doc.parse(rendered);
    String preamble = fresh.preamble().isBlank() ? old.preamble() : fresh.preamble();
    List<String> orderKeys = order.stream().map(ReportMerge::key).toList();
    List<Section> sections =
        mergeLists(
            old.sections(),
            fresh.sections(),
            orderKeys,
            Section::key,
            (o, n) ->
                new Section(
                    n.key(),
                    n.intro(),
                    mergeLists(o.subs(), n.subs(), List.of(), Sub::key, (x, y) -> y)));
    StringBuilder out = new StringBuilder();
    if (!preamble.isBlank()) {
      out.append(preamble.stripTrailing()).append("\n\n");
    }
    for (Section s : sections) {
      out.append(s.intro().stripTrailing()).append("\n\n");
      for (Sub sub : s.subs()) {
        out.append(sub.text().stripTrailing()).append("\n\n");
      }
    }
    return out.toString().stripTrailing() + "\n";
  }

  /**
   * The heading a section is known by: its line with every number replaced by {@code #}.
   *
   * @param headingLine e.g. {@code ## Memory after 1,000,000 requests}
   * @return e.g. {@code ## Memory after # requests}
   */
  static String key(String headingLine) {
    return NUMBER.matcher(headingLine.strip()).replaceAll("#").toLowerCase(Locale.ROOT);
  }

  /**
   * The old list with each element the new list has (by key) replaced in place, then the new list's
   * other elements, each after the element that precedes it in the new list, else after the one
   * that precedes it in {@code order}, else before the one that follows it in the new list; at the
   * end when none is there.
   */
  private static <T> List<T> mergeLists(
      List<T> old,
      List<T> fresh,
      List<String> order,
      Function<T, String> key,
      BinaryOperator<T> combine) {
    List<T> out = new ArrayList<>();
    Set<String> placed = new HashSet<>();
    for (T o : old) {
      T match = null;
      if (!placed.contains(key.apply(o))) {
        match =
            fresh.stream().filter(n -> key.apply(n).equals(key.apply(o))).findFirst().orElse(null);
      }
      if (match != null) {
        out.add(combine.apply(o, match));
        placed.add(key.apply(o));
      } else {
        out.add(o);
      }
    }
    for (int i = 0; i < fresh.size(); i++) {
      T n = fresh.get(i);
      if (placed.contains(key.apply(n))) {
        continue;
      }
      int at = -1;
      for (int j = i - 1; j >= 0 && at < 0; j--) {
        int found = indexOf(out, key, key.apply(fresh.get(j)));
        at = found < 0 ? -1 : found + 1;
      }
      int ordered = order.indexOf(key.apply(n));
      for (int j = ordered - 1; j >= 0 && at < 0; j--) {
        int found = indexOf(out, key, order.get(j));
        at = found < 0 ? -1 : found + 1;
      }
      for (int j = i + 1; j < fresh.size() && at < 0; j++) {
        at = indexOf(out, key, key.apply(fresh.get(j)));
      }
      out.add(at < 0 ? out.size() : at, n);
      placed.add(key.apply(n));
    }
    return out;
  }

  private static <T> int indexOf(List<T> list, Function<T, String> key, String wanted) {
    for (int i = 0; i < list.size(); i++) {
      if (key.apply(list.get(i)).equals(wanted)) {
        return i;
      }
    }
    return -1;
  }

  /** A document: what precedes the first level-2 heading, then its level-2 sections. */
  private record Doc(String preamble, List<Section> sections) {

    static Doc parse(String markdown) {
      StringBuilder preamble = new StringBuilder();
      List<Section> sections = new ArrayList<>();
      StringBuilder current = preamble;
      String sectionKey = null;
      StringBuilder intro = null;
      List<Sub> subs = new ArrayList<>();
      String subKey = null;
      boolean fenced = false;
      for (String line : markdown.split("(?<=\n)")) {
        String trimmed = line.strip();
        if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
          fenced = !fenced;
        }
        boolean h2 = !fenced && line.startsWith("## ");
        boolean h3 = !fenced && line.startsWith("### ") && intro != null;
        if (h2 || h3) {
          if (subKey != null) {
            subs.add(new Sub(subKey, current.toString()));
            subKey = null;
          }
        }
        if (h2) {
          if (intro != null) {
            sections.add(new Section(sectionKey, intro.toString(), subs));
          }
          sectionKey = key(line);
          intro = new StringBuilder();
          subs = new ArrayList<>();
          current = intro;
        } else if (h3) {
          subKey = key(line);
          current = new StringBuilder();
        }
        current.append(line);
      }
      if (subKey != null) {
        subs.add(new Sub(subKey, current.toString()));
      }
      if (intro != null) {
        sections.add(new Section(sectionKey, intro.toString(), subs));
      }
      return new Doc(preamble.toString(), sections);
    }
  }

  /** A level-2 section: its heading and text up to the first level-3 heading, then those. */
  private record Section(String key, String intro, List<Sub> subs) {}

  /** A level-3 subsection, heading and text. */
  private record Sub(String key, String text) {}
}
