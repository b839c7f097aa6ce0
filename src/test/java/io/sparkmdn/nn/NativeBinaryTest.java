package io.sparkmdn.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBinaryTest {

    @TempDir
    Path dir;

    @Test
    void theAvx2BuildNeedsBothAvx2AndFma() {
        assertEquals("-avx2", NativeBinary.extensionFor(Set.of("sse4_2", "avx", "avx2", "fma")));
        assertEquals("", NativeBinary.extensionFor(Set.of("sse4_2", "avx", "avx2")));
        assertEquals("", NativeBinary.extensionFor(Set.of("sse4_2", "avx", "fma")));
        assertEquals("", NativeBinary.extensionFor(null));
    }

    @Test
    void cpuFlagsAreReadFromTheFirstProcessorOfCpuinfo() throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Old Xeon\nflags\t\t: fpu SSE4_2 avx\n\n"
                + "processor\t: 1\nflags\t\t: fpu sse4_2 avx avx2 fma\n");
        assertEquals(Set.of("fpu", "sse4_2", "avx"), NativeBinary.cpuFlags(cpuinfo));
        assertEquals("", NativeBinary.extensionFor(NativeBinary.cpuFlags(cpuinfo)));
        assertNull(NativeBinary.cpuFlags(dir.resolve("missing")));
        Files.writeString(cpuinfo, "processor\t: 0\n");
        assertNull(NativeBinary.cpuFlags(cpuinfo));
    }

    @Test
    void aChoiceAlreadyMadeIsKept() {
        String before = System.getProperty(NativeBinary.EXTENSION_PROPERTY);
        try {
            System.setProperty(NativeBinary.EXTENSION_PROPERTY, "");
            assertEquals("generic", NativeBinary.select());
            assertEquals("", System.getProperty(NativeBinary.EXTENSION_PROPERTY));
            System.setProperty(NativeBinary.EXTENSION_PROPERTY, "-avx2");
            assertEquals("-avx2", NativeBinary.select());
            assertTrue(System.getProperty(NativeBinary.EXTENSION_PROPERTY).equals("-avx2"));
        } finally {
            if (before == null) {
                System.clearProperty(NativeBinary.EXTENSION_PROPERTY);
            } else {
                System.setProperty(NativeBinary.EXTENSION_PROPERTY, before);
            }
        }
    }
}
