package io.sparkmdn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertEquals(0, Names.editDistance("seed", "seed"));
        assertEquals(1, Names.editDistance("mixture", "mixtures"));
        assertEquals(1, Names.editDistance("mixturs", "mixtures"));
        assertEquals(3, Names.editDistance("kitten", "sitting"));
        assertEquals(4, Names.editDistance("", "abcd"));
    }

    @Test
    void theNearestNameIsSuggestedOnlyWhenItIsCloseAndUnique() {
        List<String> keys = List.of("mixtures", "epochs", "seed", "samples");
        assertEquals("mixtures", Names.nearest("Mixture", keys));
        assertEquals("epochs", Names.nearest("epoch", keys));
        assertNull(Names.nearest("learning", keys), "nothing close");
        assertNull(Names.nearest("sed", List.of("seed", "sea")), "a tie");
        assertNull(Names.nearest("ab", List.of("xy")), "as far as the name is long");
    }
}
