package io.sparkmdn.util;

/**
 * Argument and state checks that fail with a formatted message naming the bad value, Guava-style
 * ({@code checkArgument(k >= 1, "Invalid number of mixtures: %s (must be >= 1)", k)}).
 */
public final class Checks {

    private Checks() {
    }

    /** Throws {@link IllegalArgumentException} with {@code String.format(message, args)} unless {@code ok}. */
    public static void checkArgument(boolean ok, String message, Object... args) {
        if (!ok) {
            throw new IllegalArgumentException(String.format(message, args));
        }
    }

    /** Throws {@link IllegalStateException} with {@code String.format(message, args)} unless {@code ok}. */
    public static void checkState(boolean ok, String message, Object... args) {
        if (!ok) {
            throw new IllegalStateException(String.format(message, args));
        }
    }
}
