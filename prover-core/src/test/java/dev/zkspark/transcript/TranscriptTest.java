package dev.zkspark.transcript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranscriptTest {
    static Transcript base(Hash h) {
        Transcript t = Transcript.create(h, "test", new byte[] {1, 2, 3});
        t.absorb("commitment", new byte[] {9, 9});
        t.absorbFields("values", 5, 6);
        return t;
    }

    @Test
    void sameInputsSameChallenges() {
        for (Hash h : Hash.values()) {
            assertEquals(base(h).challengeExt("c"), base(h).challengeExt("c"));
        }
        assertNotEquals(base(Hash.SHA256).challengeExt("c"), base(Hash.BLAKE3).challengeExt("c"));
    }

    @Test
    void anyChangeOfLabelOrderOrValueChangesChallenges() {
        Fp3 ref = base(Hash.SHA256).challengeExt("c");
        Set<Fp3> seen = new HashSet<>();
        seen.add(ref);
        // statement
        Transcript t1 = Transcript.create(Hash.SHA256, "test", new byte[] {1, 2, 4});
        t1.absorb("commitment", new byte[] {9, 9});
        t1.absorbFields("values", 5, 6);
        assertTrue(seen.add(t1.challengeExt("c")));
        // protocol id
        Transcript t2 = Transcript.create(Hash.SHA256, "test2", new byte[] {1, 2, 3});
        t2.absorb("commitment", new byte[] {9, 9});
        t2.absorbFields("values", 5, 6);
        assertTrue(seen.add(t2.challengeExt("c")));
        // label
        Transcript t3 = Transcript.create(Hash.SHA256, "test", new byte[] {1, 2, 3});
        t3.absorb("commitmenT", new byte[] {9, 9});
        t3.absorbFields("values", 5, 6);
        assertTrue(seen.add(t3.challengeExt("c")));
        // order
        Transcript t4 = Transcript.create(Hash.SHA256, "test", new byte[] {1, 2, 3});
        t4.absorbFields("values", 5, 6);
        t4.absorb("commitment", new byte[] {9, 9});
        assertTrue(seen.add(t4.challengeExt("c")));
        // value
        Transcript t5 = Transcript.create(Hash.SHA256, "test", new byte[] {1, 2, 3});
        t5.absorb("commitment", new byte[] {9, 9});
        t5.absorbFields("values", 5, 7);
        assertTrue(seen.add(t5.challengeExt("c")));
        // length framing: ("ab","c") differs from ("a","bc")
        Transcript t6 = Transcript.create(Hash.SHA256, "test", new byte[] {1, 2, 3});
        t6.absorb("commitment", new byte[] {9});
        t6.absorb("", new byte[] {9});
        t6.absorbFields("values", 5, 6);
        assertTrue(seen.add(t6.challengeExt("c")));
        // challenge label
        assertTrue(seen.add(base(Hash.SHA256).challengeExt("d")));
    }

    @Test
    void successiveChallengesDifferAndAreCanonical() {
        Transcript t = base(Hash.SHA256);
        Set<Fp3> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Fp3 c = t.challengeExt("c");
            assertTrue(Goldilocks.isCanonical(c.c0) && Goldilocks.isCanonical(c.c1) && Goldilocks.isCanonical(c.c2));
            assertTrue(seen.add(c));
        }
    }

    @Test
    void forksAreIndependentAndBoundToParent() {
        Transcript parent = base(Hash.SHA256);
        byte[] before = parent.state();
        Fp3 a = parent.fork("layer-0").challengeExt("c");
        Fp3 b = parent.fork("layer-1").challengeExt("c");
        assertNotEquals(a, b);
        assertEquals(a, parent.fork("layer-0").challengeExt("c"), "forking is deterministic");
        assertTrue(java.util.Arrays.equals(before, parent.state()), "forking leaves the parent unchanged");
        Transcript other = base(Hash.SHA256);
        other.absorb("extra", new byte[] {1});
        assertNotEquals(a, other.fork("layer-0").challengeExt("c"), "fork is bound to the parent state");
    }

    @Test
    void indexChallengesAreInRangeAndSpread() {
        Transcript t = base(Hash.SHA256);
        int[] counts = new int[10];
        for (int i = 0; i < 2000; i++) {
            long v = t.challengeIndex("q", 10);
            assertTrue(v >= 0 && v < 10);
            counts[(int) v]++;
        }
        for (int c : counts) {
            assertTrue(c > 120 && c < 280, "roughly uniform: " + c);
        }
    }
}
