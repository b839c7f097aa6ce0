package io.sparkmdn.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Heat maps of conditional densities side by side with one shared colour bar.
 *
 * <p>XChart's own {@code HeatMapChart} treats x and y as categories: it labels every grid column and row (240
 * overlapping tick labels here) and draws each cell as a bordered rectangle. A density on a fine numeric grid
 * needs numeric axes instead, so each panel is an XChart {@link XYChart} that supplies the axes, ticks and titles,
 * and the grid is drawn as a raster image (one pixel per cell, scaled with bilinear interpolation) into the
 * chart's plot area, located through {@link XYChart#getScreenXFromChart(double)}.
 */
final class HeatMap {

    /** Width of the colour bar column at the right of the image, in pixels. */
    static final int COLOR_BAR_WIDTH = 110;

    /** One panel: its title and the grid it shows. */
    record Panel(String title, DensityGrid grid) {
    }

    private HeatMap() {
    }

    /**
     * The panels side by side in an image of {@code width} × {@code height}, coloured from 0 to {@code vmax}
     * (values above are drawn as {@code vmax}).
     */
    static BufferedImage render(List<Panel> panels, String xTitle, String yTitle, String valueTitle, double vmax,
                                int width, int height) {
        ChartStyle.Canvas canvas = ChartStyle.canvas(width, height);
        int panelWidth = (width - COLOR_BAR_WIDTH) / panels.size();
        double[] plotTopBottom = {0, height};
        boolean capped = false;
        for (int p = 0; p < panels.size(); p++) {
            DensityGrid grid = panels.get(p).grid();
            XYChart chart = frame(panels.get(p).title(), grid, xTitle, yTitle, panelWidth, height);
            int offset = p * panelWidth;
            ChartStyle.paintAt(canvas, chart, offset, 0);
            double[] edges = cellEdges(grid);
            int left = (int) Math.round(offset + chart.getScreenXFromChart(edges[0]));
            int right = (int) Math.round(offset + chart.getScreenXFromChart(edges[1]));
            int top = (int) Math.round(chart.getScreenYFromChart(edges[3]));
            int bottom = (int) Math.round(chart.getScreenYFromChart(edges[2]));
            Graphics2D g = canvas.graphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(raster(grid, vmax), left, top, right - left, bottom - top, null);
            g.setColor(new Color(0x999999));
            g.drawRect(left, top, right - left, bottom - top);
            plotTopBottom = new double[] {top, bottom};
            capped |= grid.max() > vmax;
        }
        colorBar(canvas.graphics(), width - COLOR_BAR_WIDTH + 24, (int) plotTopBottom[0], (int) plotTopBottom[1],
                valueTitle, vmax, capped);
        canvas.graphics().dispose();
        return canvas.image();
    }

    /** A chart with the grid's axes and titles but nothing in its plot area. */
    private static XYChart frame(String title, DensityGrid grid, String xTitle, String yTitle, int width,
                                 int height) {
        XYChart chart = ChartStyle.xyChart(width, height, title, xTitle, yTitle);
        XYStyler s = chart.getStyler();
        s.setLegendVisible(false);
        s.setPlotGridLinesVisible(false);
        s.setPlotContentSize(1.0);
        double[] edges = cellEdges(grid);
        s.setXAxisMin(edges[0]);
        s.setXAxisMax(edges[1]);
        s.setYAxisMin(edges[2]);
        s.setYAxisMax(edges[3]);
        XYSeries corners = chart.addSeries("extent", new double[] {edges[0], edges[1]},
                new double[] {edges[2], edges[3]});
        corners.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        corners.setMarker(SeriesMarkers.NONE);
        corners.setShowInLegend(false);
        return chart;
    }

    /** {x_lo, x_hi, y_lo, y_hi}: the outer edges of the grid's cells, half a step beyond the first and last. */
    private static double[] cellEdges(DensityGrid grid) {
        double[] x = grid.x();
        double[] y = grid.y();
        double hx = (x[x.length - 1] - x[0]) / (x.length - 1) / 2;
        double hy = (y[y.length - 1] - y[0]) / (y.length - 1) / 2;
        return new double[] {x[0] - hx, x[x.length - 1] + hx, y[0] - hy, y[y.length - 1] + hy};
    }

    /** One pixel per grid cell, the largest y at the top. */
    private static BufferedImage raster(DensityGrid grid, double vmax) {
        int nx = grid.x().length;
        int ny = grid.y().length;
        BufferedImage image = new BufferedImage(nx, ny, BufferedImage.TYPE_INT_RGB);
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                image.setRGB(i, ny - 1 - j, Colormap.rgb(grid.values()[j * nx + i] / vmax));
            }
        }
        return image;
    }

    private static void colorBar(Graphics2D g, int left, int top, int bottom, String title, double vmax,
                                 boolean capped) {
        int barWidth = 18;
        for (int y = top; y <= bottom; y++) {
            g.setColor(new Color(Colormap.rgb((double) (bottom - y) / Math.max(1, bottom - top))));
            g.drawLine(left, y, left + barWidth, y);
        }
        g.setColor(new Color(0x999999));
        g.drawRect(left, top, barWidth, bottom - top);
        g.setColor(new Color(0x333333));
        g.setFont(ChartStyle.TICK_FONT);
        int ascent = g.getFontMetrics().getAscent();
        for (int k = 0; k <= 4; k++) {
            double value = vmax * k / 4;
            int y = (int) Math.round(bottom - (bottom - top) * k / 4.0);
            g.drawLine(left + barWidth, y, left + barWidth + 4, y);
            String label = (k == 4 && capped ? "≥ " : "") + format(value);
            g.drawString(label, left + barWidth + 7, y + ascent / 2 - 1);
        }
        g.setFont(ChartStyle.AXIS_TITLE_FONT);
        g.drawString(title, left - 6, top - 16);
    }

    private static String format(double v) {
        if (v == 0) {
            return "0";
        }
        return Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? String.format("%.1e", v) : String.format("%.3g", v);
    }
}
