package io.sparkmdn.report;

/** The viridis colour map (dark purple → blue → green → yellow), perceptually uniform and colour-blind safe. */
final class Colormap {

    /** Viridis at t = 0, 1/8, …, 1 (matplotlib's values, rounded to 8 bits); linear in between. */
    private static final int[] STOPS = {
        0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725,
    };

    private Colormap() {
    }

    /** The colour of {@code t} in [0, 1] as 0xRRGGBB; t outside is clamped, NaN maps to 0. */
    static int rgb(double t) {
        double u = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (STOPS.length - 1);
        int i = Math.min(STOPS.length - 2, (int) u);
        double f = u - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        int r = mix(a >> 16, b >> 16, f);
        int g = mix(a >> 8, b >> 8, f);
        int bl = mix(a, b, f);
        return r << 16 | g << 8 | bl;
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    }
}
