package io.sparkmdn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteModeTest {

    @Test
    void parsesSparksWordsAndNamesTheBadOne() {
        assertEquals(WriteMode.ERROR, WriteMode.parse("error"));
        assertEquals(WriteMode.ERROR, WriteMode.parse("ErrorIfExists"));
        assertEquals(WriteMode.OVERWRITE, WriteMode.parse(" overwrite "));
        assertEquals(WriteMode.IGNORE, WriteMode.parse("IGNORE"));
        assertEquals("Invalid --mode 'append' (one of error, overwrite, ignore; every output is written whole, so "
                + "append is not one)", assertThrows(IllegalArgumentException.class,
                        () -> WriteMode.parse("append")).getMessage());
        assertEquals("Invalid --mode 'skip' (one of error, overwrite, ignore)",
                assertThrows(IllegalArgumentException.class, () -> WriteMode.parse("skip")).getMessage());
    }

    @Test
    void proceedsOnlyWhereTheModeSays() {
        for (WriteMode m : WriteMode.values()) {
            assertTrue(m.proceed(false, "Output path", "/p"), m + " writes a new output");
        }
        assertTrue(WriteMode.OVERWRITE.proceed(true, "Output path", "/p"));
        assertFalse(WriteMode.IGNORE.proceed(true, "Output path", "/p"));
        assertEquals("Run already exists: /o/run_id=a (use --mode overwrite to replace it, or --mode ignore to leave "
                + "it and skip the job)", assertThrows(IllegalArgumentException.class,
                        () -> WriteMode.ERROR.proceed(true, "Run", "/o/run_id=a")).getMessage());
    }
}
