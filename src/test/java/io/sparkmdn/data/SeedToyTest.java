package io.sparkmdn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedToyTest {

    @Test
    void rowsDependOnlyOnSeedAndIdNotOnHowTheyAreSplit() {
        XYData whole = SeedToy.generate(7, 0, 1000);
        XYData first = SeedToy.generate(7, 0, 400);
        XYData rest = SeedToy.generate(7, 400, 600);
        assertArrayEquals(whole.rows(0, 400).x(), first.x(), 0);
        assertArrayEquals(whole.rows(400, 1000).y(), rest.y(), 0);
        assertNotEquals(SeedToy.generate(8, 0, 1).x()[0], whole.x()[0]);
    }

    @Test
    void rowsFollowTheGenerativeModel() {
        XYData d = SeedToy.generate(1, 0, 100_000);
        double sumY = 0;
        for (int i = 0; i < d.size(); i++) {
            double y = d.y()[i];
            double x = d.x()[i];
            assertTrue(y >= 0 && y < 1);
            double lo = Math.sin(2 * Math.PI * y);
            assertTrue(x >= lo && x <= lo + 0.2 * (Math.cos(2 * Math.PI * y) + 2), "x outside its band");
            sumY += y;
        }
        assertEquals(0.5, sumY / d.size(), 4 * Math.sqrt(1.0 / 12 / d.size()));
    }
}
