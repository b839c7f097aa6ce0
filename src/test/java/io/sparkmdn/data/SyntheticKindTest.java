package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticKindTest {

    @Test
    void registryKnowsTheBuiltInKindsByName() {
        assertEquals(List.of("seed", "twin-circle", "skewed"), SyntheticKind.names());
        for (String name : SyntheticKind.names()) {
            assertEquals(name, SyntheticKind.of(name).name());
        }
    }

    @Test
    void unknownKindIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticKind.of("foo"));
        assertEquals("Unknown dataset kind: 'foo' (known: seed, twin-circle, skewed)", e.getMessage());
    }

    @Test
    void rowsDependOnlyOnSeedAndIdForEveryKind() {
        for (SyntheticKind kind : SyntheticKind.builtIn()) {
            XYData whole = kind.rows(9, 100, 50);
            XYData tail = kind.rows(9, 130, 20);
            assertArrayEquals(whole.rows(30, 50).x(), tail.x(), 0, kind.name());
            assertArrayEquals(whole.rows(30, 50).y(), tail.y(), 0, kind.name());
            assertEquals(kind.inputDim(), whole.inputDim());
            assertEquals(kind.outputDim(), whole.outputDim());
        }
    }

    @Test
    void kindsStaySingletonsThroughJavaSerialization() throws Exception {
        for (SyntheticKind kind : SyntheticKind.builtIn()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(kind);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                assertSame(kind, in.readObject());
            }
        }
    }
}
