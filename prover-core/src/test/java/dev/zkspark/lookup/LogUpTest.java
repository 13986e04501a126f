package dev.zkspark.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogUpTest {
    static Transcript tr() {
        return Transcript.create(Hash.SHA256, "logup-test", new byte[] {1});
    }

    static long[] rangeValues(SplittableRandom r, int n, long lo, int k) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = Goldilocks.fromSigned(lo + r.nextInt(1 << k));
        }
        return v;
    }

    static List<LookupColumn.Shape> shapes(List<LookupColumn> cols) {
        List<LookupColumn.Shape> s = new ArrayList<>();
        for (LookupColumn c : cols) {
            s.add(c.shape());
        }
        return s;
    }

    static LogUpProof roundTrip(LogUpProof p) throws MalformedInputException {
        ByteSink s = new ByteSink();
        p.write(s);
        ByteSource src = new ByteSource(s.toByteArray());
        LogUpProof q = LogUpProof.read(src);
        src.expectEnd("logup proof");
        return q;
    }

    /** Claims must match the real tensors (what the commitment opening checks later). */
    static void assertClaimsTrue(List<Claim> claims, Map<String, long[]> tensors) {
        for (Claim c : claims) {
            long[] t = tensors.get(c.tensor());
            assertEquals(Mle.base(t).evaluate(c.point()), c.value(), c.tensor());
        }
    }

    @Test
    void fractionalSumMatchesTheDirectSumAndLeafClaims() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n = 1; n <= 6; n++) {
            long[] p = new long[1 << n];
            long[] q = new long[1 << n];
            for (int i = 0; i < p.length; i++) {
                p[i] = Goldilocks.reduce(r.nextLong());
                q[i] = 1 + r.nextInt(1000);
            }
            FractionalSum.Proved pr = FractionalSum.prove(Mle.base(p), Mle.base(q), tr());
            long[] inv = q.clone();
            Goldilocks.batchInverse(inv);
            long sum = Goldilocks.innerProduct(p, inv, p.length);
            Fp3 ratio = pr.proof().numerator().mul(pr.proof().denominator().inv());
            assertEquals(Fp3.of(sum), ratio);
            FractionalSum.Checked v = FractionalSum.verify(n, pr.proof(), tr());
            assertTrue(v.verdict().isAccepted(), v.verdict().toString());
            assertEquals(Mle.base(p).evaluate(v.leaves().point()), v.leaves().p());
            assertEquals(Mle.base(q).evaluate(v.leaves().point()), v.leaves().q());
        }
    }

    @Test
    void honestRangeLookupsAcrossColumnsOfDifferentSizes() throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        Table table = Table.range("r16", -8, 4);
        List<LookupColumn> cols = List.of(
                LookupColumn.of("a", rangeValues(r, 8, -8, 4)),
                LookupColumn.of("b", rangeValues(r, 4, -8, 4)),
                LookupColumn.of("c", rangeValues(r, 16, -8, 4)));
        long[] m = LogUp.multiplicities(table, cols);
        LogUp.Proved pr = LogUp.prove(table, cols, m, tr());
        LogUp.Checked v = LogUp.verify(table, shapes(cols), roundTrip(pr.proof()), tr());
        assertTrue(v.verdict().isAccepted(), v.verdict().toString());
        Map<String, long[]> tensors = new HashMap<>();
        for (LookupColumn c : cols) {
            tensors.put(c.xName(), c.x());
        }
        tensors.put(LogUp.multiplicityTensor(table), m);
        assertClaimsTrue(v.claims(), tensors);
        assertEquals(4, v.claims().size());
    }

    @Test
    void honestFunctionTableOfPairs() throws Exception {
        int n = 100; // not a power of two: padded by repeating the last pair
        long[] xs = new long[n];
        long[] ys = new long[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i - 50;
            ys[i] = (i - 50) * (i - 50) / 3;
        }
        Table table = Table.function("sq", xs, ys);
        SplittableRandom r = new SplittableRandom(3);
        long[] x = new long[32];
        long[] y = new long[32];
        for (int i = 0; i < 32; i++) {
            int j = r.nextInt(n);
            x[i] = Goldilocks.fromSigned(xs[j]);
            y[i] = Goldilocks.fromSigned(ys[j]);
        }
        List<LookupColumn> cols = List.of(new LookupColumn("x", x, "y", y));
        long[] m = LogUp.multiplicities(table, cols);
        LogUp.Proved pr = LogUp.prove(table, cols, m, tr());
        LogUp.Checked v = LogUp.verify(table, shapes(cols), roundTrip(pr.proof()), tr());
        assertTrue(v.verdict().isAccepted(), v.verdict().toString());
        assertClaimsTrue(v.claims(), Map.of("x", x, "y", y, LogUp.multiplicityTensor(table), m));
        // a pair with the right x but a wrong y is not in the table
        long[] y2 = y.clone();
        y2[5] = Goldilocks.add(y2[5], 1);
        List<LookupColumn> bad = List.of(new LookupColumn("x", x, "y", y2));
        assertThrows(IllegalArgumentException.class, () -> LogUp.multiplicities(table, bad));
        assertFalse(LogUp.verify(table, shapes(bad), LogUp.prove(table, bad, m, tr()).proof(), tr()).verdict().isAccepted());
    }

    @Test
    void valueOutsideTheTableIsRejectedWhateverTheMultiplicities() {
        SplittableRandom r = new SplittableRandom(4);
        Table table = Table.range("r16", 0, 4);
        for (int run = 0; run < 20; run++) {
            long[] x = rangeValues(r, 16, 0, 4);
            int pos = r.nextInt(16);
            long bad = 16 + r.nextInt(100); // just outside [0, 16)
            x[pos] = bad;
            List<LookupColumn> cols = List.of(LookupColumn.of("x", x));
            // adversarial multiplicities: honest counts of the others, the bad value charged to a
            // neighbouring row, or random counts
            long[] honestRest = new long[16];
            for (int i = 0; i < 16; i++) {
                if (i != pos) {
                    honestRest[(int) x[i]]++;
                }
            }
            long[] charged = honestRest.clone();
            charged[15]++;
            long[] random = new long[16];
            for (int j = 0; j < 16; j++) {
                random[j] = r.nextInt(4);
            }
            for (long[] m : new long[][] {honestRest, charged, random}) {
                LogUp.Proved pr = LogUp.prove(table, cols, m, tr());
                assertFalse(LogUp.verify(table, shapes(cols), pr.proof(), tr()).verdict().isAccepted(), "run " + run);
            }
        }
    }

    @Test
    void tamperedProofAndWrongWitnessAreRejected() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        Table table = Table.range("r8", 0, 3);
        long[] x = rangeValues(r, 32, 0, 3);
        List<LookupColumn> cols = List.of(LookupColumn.of("x", x));
        long[] m = LogUp.multiplicities(table, cols);
        LogUpProof proof = LogUp.prove(table, cols, m, tr()).proof();
        ByteSink s = new ByteSink();
        proof.write(s);
        byte[] bytes = s.toByteArray();
        int rejected = 0;
        for (int trial = 0; trial < 200; trial++) {
            byte[] b = bytes.clone();
            int i = r.nextInt(b.length);
            b[i] ^= (byte) (1 << r.nextInt(8));
            try {
                ByteSource src = new ByteSource(b);
                LogUpProof q = LogUpProof.read(src);
                src.expectEnd("logup");
                if (!LogUp.verify(table, shapes(cols), q, tr()).verdict().isAccepted()) {
                    rejected++;
                }
            } catch (MalformedInputException e) {
                rejected++;
            }
        }
        assertEquals(200, rejected, "every flipped bit is caught");
        // a prover using a different column than the committed one produces claims that are false
        long[] other = x.clone();
        other[7] = (other[7] + 1) % 8;
        List<LookupColumn> cheat = List.of(LookupColumn.of("x", other));
        LogUp.Checked v = LogUp.verify(table, shapes(cheat), LogUp.prove(table, cheat, LogUp.multiplicities(table, cheat), tr()).proof(), tr());
        assertTrue(v.verdict().isAccepted(), "the lookup itself holds for the other column");
        Claim onX = v.claims().get(0);
        assertFalse(Mle.base(x).evaluate(onX.point()).equals(onX.value()), "but its claim is false for the committed column");
    }

    @Test
    void prefixIndicatorMatchesDefinition() {
        SplittableRandom r = new SplittableRandom(6);
        Fp3[] c = new Fp3[5];
        for (int i = 0; i < 5; i++) {
            c[i] = new Fp3(Goldilocks.reduce(r.nextLong()), 0, 0);
        }
        Point p = new Point(c);
        for (long used = 0; used <= 32; used++) {
            long[] ind = new long[32];
            for (int i = 0; i < used; i++) {
                ind[i] = 1;
            }
            assertEquals(Mle.base(ind).evaluate(p), LogUp.prefixIndicator(p, used), "used " + used);
        }
    }
}
