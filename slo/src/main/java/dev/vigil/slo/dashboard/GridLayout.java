package dev.vigil.slo.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * Places panels on Grafana's 24-column grid left to right, wrapping to a new line when a panel does
 * not fit, and numbers them 1, 2, 3... in placement order. The same build order always gives the
 * same ids and positions, so regenerated dashboards only differ where their content does.
 */
final class GridLayout {

  private final List<Panel> panels = new ArrayList<>();
  private int x;
  private int y;
  private int lineHeight;

  /**
   * Starts a new line with a full-width row header.
   *
   * @param title the row's title
   */
  void row(String title) {
    newLine();
    add(Panel.row(title), GridPos.COLUMNS, 1);
    newLine();
  }

  /**
   * @param panel a panel without position
   * @param width columns, 1..24
   * @param height grid rows
   * @throws IllegalArgumentException when the width is outside 1..24
   */
  void add(Panel panel, int width, int height) {
    if (width < 1 || width > GridPos.COLUMNS) {
      throw new IllegalArgumentException(
          "panel '" + panel.title() + "' is " + width + " columns wide: use 1 to 24");
    }
    if (x + width > GridPos.COLUMNS) {
      newLine();
    }
    panels.add(panel.placed(panels.size() + 1, new GridPos(height, width, x, y)));
    x += width;
    lineHeight = Math.max(lineHeight, height);
  }

  /**
   * @return the placed panels in order
   */
  List<Panel> panels() {
    return List.copyOf(panels);
  }

  private void newLine() {
    if (x > 0) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
  }
}
