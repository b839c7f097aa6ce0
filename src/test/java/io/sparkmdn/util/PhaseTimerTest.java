package io.sparkmdn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTimerTest {

    @Test
    void phasesAddUpInTheOrderTheyFirstRan() throws InterruptedException {
        PhaseTimer timer = new PhaseTimer();
        timer.add("read", 1.5);
        String value = timer.time("work", () -> {
            sleep(20);
            return "done";
        });
        assertEquals("done", value);
        timer.add("read", 0.25);
        sleep(10);
        timer.lap("tail");
        assertEquals(List.of("read", "work", "tail"), List.copyOf(timer.seconds().keySet()));
        assertEquals(1.75, timer.seconds().get("read"), 1e-12);
        assertTrue(timer.seconds().get("work") >= 0.019, "work " + timer.seconds().get("work"));
        // the lap counts from the end of the timed work, not from the timer's start
        assertTrue(timer.seconds().get("tail") >= 0.009 && timer.seconds().get("tail") < 1, "tail");
        assertEquals(timer.seconds().values().stream().mapToDouble(Double::doubleValue).sum(), timer.total(), 1e-12);
        assertTrue(timer.toString().startsWith("read 1.75 s, work 0.0"), timer.toString());
        assertTrue(timer.toString().contains("; total "), timer.toString());
    }

    @Test
    void aNegativeOrNonFiniteTimeIsRefusedNamingThePhase() {
        PhaseTimer timer = new PhaseTimer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> timer.add("save", -1));
        assertEquals("Invalid phase time for save: -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> timer.add("save", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> timer.add("split, count", 1));
    }

    @Test
    void aTimerSinceTheJvmStartBeginsWithThatPhase() {
        PhaseTimer timer = PhaseTimer.sinceJvmStart();
        assertEquals(List.of("JVM start"), List.copyOf(timer.seconds().keySet()));
        assertTrue(timer.seconds().get("JVM start") > 0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
