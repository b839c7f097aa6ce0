package io.sparkmdn.report;

import io.sparkmdn.util.Checks;
import java.awt.image.BufferedImage;

/**
 * One rendered figure of the report.
 *
 * @param file    file name of its PNG in the report directory, e.g. {@code data.png}
 * @param title   heading above it
 * @param caption a short explanation shown under it
 * @param image   the rendered image
 */
public record Figure(String file, String title, String caption, BufferedImage image) {

    public Figure {
        Checks.checkArgument(file != null && file.matches("[a-z0-9-]+\\.png"),
                "Invalid figure file name: %s (lower-case letters, digits and '-', ending in .png)", file);
        Checks.checkArgument(title != null && !title.isBlank(), "Figure %s has no title", file);
        Checks.checkArgument(caption != null, "Figure %s has no caption", file);
        Checks.checkArgument(image != null, "Figure %s has no image", file);
    }
}
