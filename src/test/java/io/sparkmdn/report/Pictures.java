package io.sparkmdn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Checks on rendered figures: a decodable PNG of the expected size, with content, and colours it should hold. */
final class Pictures {

    /** Smallest variance of the pixels' luminance (0–255 scale) for an image to count as non-trivial. */
    static final double MIN_VARIANCE = 150;

    private Pictures() {
    }

    /** Encodes {@code image} as PNG, decodes it again, and checks its size and content; returns the decoded image. */
    static BufferedImage assertPng(BufferedImage image, int width, int height) {
        return assertPng(ReportWriter.png(image), width, height);
    }

    /** Decodes {@code png} and checks it is an image of the given size with non-trivial content. */
    static BufferedImage assertPng(byte[] png, int width, int height) {
        assertTrue(png.length > 8 && (png[0] & 0xFF) == 0x89 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G',
                "PNG signature");
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertNotNull(decoded, "ImageIO cannot read the PNG");
        assertEquals(width, decoded.getWidth(), "width");
        assertEquals(height, decoded.getHeight(), "height");
        double variance = luminanceVariance(decoded);
        assertTrue(variance > MIN_VARIANCE, "luminance variance " + variance + " <= " + MIN_VARIANCE);
        return decoded;
    }

    /** Variance of the pixels' luminance, 0–255 scale. */
    static double luminanceVariance(BufferedImage image) {
        double sum = 0;
        double sumSq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
                sum += l;
                sumSq += l * l;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    /** The colour of {@code color} at opacity {@code alpha} (0–255) over white. */
    static Color onWhite(Color color, int alpha) {
        double a = alpha / 255.0;
        return new Color((int) Math.round(255 - a * (255 - color.getRed())),
                (int) Math.round(255 - a * (255 - color.getGreen())), (int) Math.round(255 - a * (255 - color.getBlue())));
    }

    /** Pixels at which two images of the same size differ. */
    static int differing(BufferedImage a, BufferedImage b) {
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels whose colour is within {@code tolerance} of {@code color} in every channel. */
    static int count(BufferedImage image, Color color, int tolerance) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xFF) - color.getRed()) <= tolerance
                        && Math.abs((rgb >> 8 & 0xFF) - color.getGreen()) <= tolerance
                        && Math.abs((rgb & 0xFF) - color.getBlue()) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
