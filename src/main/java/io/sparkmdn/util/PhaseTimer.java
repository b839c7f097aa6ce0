package io.sparkmdn.util;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Wall time per phase of a job, in the order the phases first ran: what the train job logs as its fixed costs
 * (before the first epoch and after the last) next to the epochs' own. A phase timed more than once adds up.
 * Not thread-safe: one job's driver thread owns it.
 */
public final class PhaseTimer {

    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long mark = System.nanoTime();

    /** A timer whose first phase, {@code "JVM start"}, is the time from this JVM's start to now. */
    public static PhaseTimer sinceJvmStart() {
        PhaseTimer timer = new PhaseTimer();
        long uptimeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        timer.add("JVM start", uptimeMillis / 1e3);
        return timer;
    }

    /** Adds the time since the last lap (or since this timer was made) to {@code phase}. */
    public void lap(String phase) {
        long now = System.nanoTime();
        add(phase, (now - mark) / 1e9);
        mark = now;
    }

    /** Runs {@code work}, adding its wall time to {@code phase}; the lap mark moves to its end. */
    public <T> T time(String phase, Supplier<T> work) {
        long begin = System.nanoTime();
        try {
            return work.get();
        } finally {
            mark = System.nanoTime();
            add(phase, (mark - begin) / 1e9);
        }
    }

    /** Adds {@code s} seconds to {@code phase}. */
    public void add(String phase, double s) {
        Checks.checkArgument(!phase.contains(",") && !phase.contains(";"),
                "Phase name %s must not contain ',' or ';' (they separate the phases in the train job's log line)", phase);
        Checks.checkArgument(s >= 0 && Double.isFinite(s), "Invalid phase time for %s: %s", phase, s);
        seconds.merge(phase, s, Double::sum);
    }

    /** Seconds per phase, in the order the phases first ran. */
    public Map<String, Double> seconds() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(seconds));
    }

    /** The sum of all phases. */
    public double total() {
        return seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** "phase 1.2 s, other 0.4 s; total 1.6 s". */
    @Override
    public String toString() {
        return seconds.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")) + String.format(Locale.ROOT, "; total %.2f s", total());
    }
}
