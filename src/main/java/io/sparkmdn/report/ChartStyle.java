package io.sparkmdn.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's one look: figure sizes, fonts, colours (the Okabe–Ito palette, safe for colour-blind readers)
 * and the XChart settings every plot shares, plus the helpers that add styled series and paint charts.
 */
public final class ChartStyle {

    /** Width of a standard figure in pixels. */
    public static final int WIDTH = 800;
    /** Height of a standard figure in pixels. */
    public static final int HEIGHT = 500;

    /** Series colours in order (Okabe–Ito): blue, vermillion, bluish green, orange, sky blue, purple, yellow. */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
        new Color(0x56B4E9), new Color(0xCC79A7), new Color(0xF0E442), new Color(0x000000),
    };
    /** Colour of the training data in every plot. */
    static final Color DATA = new Color(0x7F7F7F);
    /** Colour of the MDN's samples. */
    static final Color SAMPLES = PALETTE[0];
    /** Colour of the least-squares prediction. */
    static final Color LEAST_SQUARES = PALETTE[1];
    /** Colour of reference lines (uniform density, Bayes limit). */
    static final Color REFERENCE = new Color(0x222222);

    private static final String TICKS_SERIES = "(round ticks)";

    /** Fonts of chart titles, axis titles, tick labels and legends. */
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private ChartStyle() {
    }

    /** An empty XY chart of the given size with the report's style and titles. */
    static XYChart xyChart(int width, int height, String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(width, height);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0x999999));
        s.setPlotGridLinesColor(new Color(0xE3E3E3));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setChartFontColor(new Color(0x222222));
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setAxisTickLabelsColor(new Color(0x333333));
        s.setLegendFont(LEGEND_FONT);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBorderColor(new Color(0xCCCCCC));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setChartPadding(12);
        s.setPlotContentSize(0.96);
        s.setMarkerSize(4);
        s.setAntiAlias(true);
        s.setTextAntiAlias(true);
        s.setSeriesColors(PALETTE);
        s.setXAxisDecimalPattern("0.###");
        s.setYAxisDecimalPattern("0.###");
        return chart;
    }

    /**
     * Keeps XChart's ticks at round numbers. XChart 4 puts a tick at every data value instead when the x (or y)
     * values of all series, in insertion order, are equally spaced, as a grid of x is (and any two values are):
     * an invisible series of three points inside the data's range, spaced unequally, prevents that.
     */
    static void roundTicks(XYChart chart) {
        double[] x = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] y = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (XYSeries series : chart.getSeriesCollection()) {
            x[0] = Math.min(x[0], series.getXMin());
            x[1] = Math.max(x[1], series.getXMax());
            y[0] = Math.min(y[0], series.getYMin());
            y[1] = Math.max(y[1], series.getYMax());
        }
        if (!(x[1] > x[0]) || !(y[1] > y[0]) || chart.getSeries(TICKS_SERIES) != null) {
            return;
        }
        double golden = 0.381966;
        XYSeries ticks = chart.addSeries(TICKS_SERIES, new double[] {x[0], x[0] + golden * (x[1] - x[0]), x[1]},
                new double[] {y[0], y[0] + golden * (y[1] - y[0]), y[1]});
        ticks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ticks.setMarker(SeriesMarkers.NONE);
        ticks.setShowInLegend(false);
    }

    /** Adds a scatter of translucent dots ({@code alpha} in 0…255; the dot size is the chart's marker size). */
    static XYSeries scatter(XYChart chart, String name, double[] x, double[] y, Color color, int alpha) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha));
        return series;
    }

    /** Adds a line without markers of the given width and stroke pattern ({@link SeriesLines}). */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width,
                         BasicStroke pattern) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                pattern.getMiterLimit(), pattern.getDashArray(), pattern.getDashPhase()));
        return series;
    }

    /** A white RGB image of the given size with anti-aliasing on, and its graphics. */
    static Canvas canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        return new Canvas(image, g);
    }

    /** The chart painted on its own image, with ticks at round numbers ({@link #roundTicks}). */
    static BufferedImage render(XYChart chart) {
        roundTicks(chart);
        return renderWithDataTicks(chart);
    }

    /** The chart painted on its own image, leaving XChart free to tick every (equally spaced) x, e.g. epochs. */
    static BufferedImage renderWithDataTicks(XYChart chart) {
        Canvas canvas = canvas(chart.getWidth(), chart.getHeight());
        chart.paint(canvas.graphics(), chart.getWidth(), chart.getHeight());
        canvas.graphics().dispose();
        return canvas.image();
    }

    /** Paints {@code chart} into {@code canvas} with its top-left corner at (x, y). */
    static void paintAt(Canvas canvas, XYChart chart, int x, int y) {
        roundTicks(chart);
        Graphics2D g = (Graphics2D) canvas.graphics().create(x, y, chart.getWidth(), chart.getHeight());
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
    }

    /** An image being drawn and its graphics. */
    record Canvas(BufferedImage image, Graphics2D graphics) {
    }
}
