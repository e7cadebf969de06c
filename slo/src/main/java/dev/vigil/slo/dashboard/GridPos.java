package dev.vigil.slo.dashboard;

/**
 * Where a panel sits on Grafana's grid: 24 columns wide, rows of 30 px.
 *
 * @param h height in grid rows
 * @param w width in grid columns (1..24)
 * @param x left column (0..23)
 * @param y top row
 */
public record GridPos(int h, int w, int x, int y) {

  /** Columns of Grafana's dashboard grid. */
  public static final int COLUMNS = 24;
}
