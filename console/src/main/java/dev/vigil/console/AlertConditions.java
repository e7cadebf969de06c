package dev.vigil.console;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alerting rule's expression split into what a graph can show: its conditions (the operands of
 * the top-level {@code and}, {@code or} and {@code unless}), each with its left-hand side, its
 * comparison and its threshold. The expression itself, comparison included, is empty whenever the
 * alert is inactive; its left-hand side is not. Parsing is lexical and PromQL-aware only as far as
 * needed: brackets, braces, parentheses and quoted strings are skipped over, and the comparison
 * binds tighter than the set operators as in PromQL.
 */
final class AlertConditions {

  private static final Pattern SET_OPERATOR = Pattern.compile("(?i)\\b(and|or|unless)\\b");
  private static final Pattern COMPARISON = Pattern.compile("==|!=|>=|<=|>|<");
  private static final Pattern MATCHING =
      Pattern.compile(
          "^\\s*(?i:(?:on|ignoring|group_left|group_right)\\b\\s*(?:\\([^)]*\\))?\\s*)+");
  private static final Pattern BOOL = Pattern.compile("^\\s*(?i:bool)\\b");

  private AlertConditions() {}

  /**
   * One condition of an alert's expression.
   *
   * @param lhs the left-hand side, PromQL; the whole condition when it has no comparison
   * @param op the comparison ({@code >}, {@code >=}, ...), or null when there is none
   * @param rhs the right-hand side, PromQL, or null
   * @param threshold the right-hand side as a number when it is one, else null
   */
  record Condition(String lhs, String op, String rhs, Double threshold) {}

  /**
   * @param expr an alerting rule's expression
   * @return its conditions, in order; one condition without a comparison when it has none
   */
  static List<Condition> of(String expr) {
    List<Condition> out = new ArrayList<>();
    for (String part : split(expr)) {
      String clause = stripMatching(part).trim();
      if (clause.isEmpty()) {
        continue;
      }
      int[] at = comparison(clause);
      if (at == null) {
        String inner = unwrap(clause);
        if (!inner.equals(clause)) {
          out.addAll(of(inner));
        } else {
          out.add(new Condition(clause, null, null, null));
        }
        continue;
      }
      String lhs = clause.substring(0, at[0]).trim();
      String op = clause.substring(at[0], at[1]);
      String rhs = clause.substring(at[1]);
      Matcher bool = BOOL.matcher(rhs);
      if (bool.find()) {
        rhs = rhs.substring(bool.end());
      }
      rhs = stripMatching(rhs).trim();
      Double threshold;
      try {
        threshold = Double.valueOf(rhs);
      } catch (NumberFormatException e) {
        threshold = null;
      }
      out.add(new Condition(lhs, op, rhs, threshold));
    }
    return out;
  }

  /** The operands of the top-level set operators. */
  private static List<String> split(String expr) {
    List<String> parts = new ArrayList<>();
    int[] from = {0};
    atTopLevel(
        expr,
        i -> {
          if (Character.isLetter(expr.charAt(i)) && (i == 0 || !isWord(expr.charAt(i - 1)))) {
            Matcher m = SET_OPERATOR.matcher(expr).region(i, expr.length());
            if (m.lookingAt()) {
              parts.add(expr.substring(from[0], i));
              from[0] = m.end();
              return m.end() - 1;
            }
          }
          return i;
        });
    parts.add(expr.substring(from[0]));
    return parts;
  }

  /** The start and end of the first top-level comparison operator, or null. */
  private static int[] comparison(String clause) {
    int[][] found = {null};
    atTopLevel(
        clause,
        i -> {
          Matcher m = COMPARISON.matcher(clause).region(i, clause.length());
          if (m.lookingAt()) {
            found[0] = new int[] {m.start(), m.end()};
            return -1;
          }
          return i;
        });
    return found[0];
  }

  /**
   * Visits each position of a PromQL text that is outside quotes and brackets, in order.
   *
   * @param text the PromQL
   * @param visit given a position, answers the last position it consumed (the same one to go on to
   *     the next), or -1 to stop
   */
  private static void atTopLevel(String text, IntUnaryOperator visit) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      switch (c) {
        case '"', '\'', '`' -> quote = c;
        case '(', '[', '{' -> depth++;
        case ')', ']', '}' -> depth--;
        default -> {
          if (depth == 0) {
            i = visit.applyAsInt(i);
            if (i < 0) {
              return;
            }
          }
        }
      }
    }
  }

  /** A clause wrapped whole in parentheses, without them; else the clause. */
  private static String unwrap(String clause) {
    if (!clause.startsWith("(") || !clause.endsWith(")")) {
      return clause;
    }
    int depth = 0;
    for (int i = 0; i < clause.length(); i++) {
      char c = clause.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0 && i < clause.length() - 1) {
          return clause;
        }
      }
    }
    return clause.substring(1, clause.length() - 1).trim();
  }

  private static String stripMatching(String s) {
    Matcher m = MATCHING.matcher(s);
    return m.find() ? s.substring(m.end()) : s;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }
}
