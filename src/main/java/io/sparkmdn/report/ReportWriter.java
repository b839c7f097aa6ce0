package io.sparkmdn.report;

import io.sparkmdn.io.AtomicOutput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a report as a directory: one PNG per figure and {@value Report#INDEX}, through Hadoop's file system
 * (so local, {@code hdfs://} and {@code s3a://} paths work) and atomically ({@link AtomicOutput}).
 */
public final class ReportWriter {

    /** PNG colour channels are rounded to multiples of this (see {@link #png}). */
    static final int CHANNEL_STEP = 4;

    private ReportWriter() {
    }

    /**
     * Writes {@code report} titled {@code title} to the directory {@code out}; an existing {@code out} is refused
     * unless {@code overwrite}, and replaced only once the new report is complete.
     */
    public static void write(Report report, String title, String out, boolean overwrite, Configuration conf) {
        String html = HtmlReport.render(report, title);
        AtomicOutput.write(out, overwrite, conf, tmp -> {
            Path dir = new Path(tmp);
            try {
                FileSystem fs = withoutChecksums(dir.getFileSystem(conf));
                if (!fs.mkdirs(dir)) {
                    throw new IOException("could not create " + dir);
                }
                for (Figure f : report.figures()) {
                    writeBytes(fs, new Path(dir, f.file()), png(f.image()));
                }
                writeBytes(fs, new Path(dir, Report.INDEX), html.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to write the report to " + out + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@code image} encoded as PNG, its colour channels first rounded to multiples of {@value #CHANNEL_STEP}: the
     * change is invisible (at most 2 levels of 255), and it makes the files of dense translucent scatters about a
     * third smaller.
     */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(quantised(image), "png", bytes)) {
                throw new IllegalStateException("No PNG writer available in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to encode a PNG: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** A copy of {@code image} (as RGB) with every channel rounded to the nearest multiple of CHANNEL_STEP. */
    static BufferedImage quantised(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                row[x] = round(p >> 16) << 16 | round(p >> 8) << 8 | round(p);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static int round(int channel) {
        int v = channel & 0xFF;
        return Math.min(255, (v + CHANNEL_STEP / 2) / CHANNEL_STEP * CHANNEL_STEP);
    }

    /** The raw local file system for local paths, so the report holds no {@code .crc} files beside its own. */
    private static FileSystem withoutChecksums(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    private static void writeBytes(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (OutputStream os = fs.create(file, false)) {
            os.write(bytes);
        }
    }
}
