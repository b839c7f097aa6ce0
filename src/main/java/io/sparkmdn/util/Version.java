package io.sparkmdn.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project's version, as the build wrote it into {@code io/sparkmdn/version.properties}. */
public final class Version {

    private static final String RESOURCE = "/io/sparkmdn/version.properties";

    private Version() {
    }

    /** The version this build was made as, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" outside a Maven build. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
