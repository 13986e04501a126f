package dev.zkspark.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.lookup.Table;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import dev.zkspark.testing.Rand;
import org.junit.jupiter.api.Test;

/**
 * Every tensor operation: the honest witness is accepted with true claims; one wrong witness entry
 * (random position, many seeded runs) is rejected; a tampered proof is rejected. "Rejected" means
 * the verifier says no or one of its claims is false against the committed tensors (what the
 * commitment opening will catch).
 */
class CircuitOpsTest {
    static Transcript tr() {
        return Transcript.create(Hash.SHA256, "ops-test", new byte[] {2});
    }

    static long[] small(SplittableRandom r, int n, int bound) {
        return Rand.small(r, n, bound);
    }

    static Point point(SplittableRandom r, int n) {
        return Rand.point(r, n);
    }

    static boolean holds(Verdict v, List<Claim> claims, Map<String, long[]> committed) {
        if (!v.isAccepted()) {
            return false;
        }
        for (Claim c : claims) {
            if (!Mle.base(committed.get(c.tensor())).evaluate(c.point()).equals(c.value())) {
                return false;
            }
        }
        return true;
    }

    static SumcheckProof bytes(SumcheckProof p) throws Exception {
        ByteSink s = new ByteSink();
        p.write(s);
        return SumcheckProof.read(new ByteSource(s.toByteArray()));
    }

    static long[] corrupt(long[] a, SplittableRandom r) {
        long[] b = a.clone();
        int i = r.nextInt(b.length);
        b[i] = Goldilocks.add(b[i], 1 + r.nextInt(5));
        return b;
    }

    // ---- matmul ----

    static boolean matmulHolds(MatMul.Shape s, long[] x, long[] w, long[] yCommitted, SplittableRandom r, boolean tamper) throws Exception {
        Point u = point(r, s.outVars());
        Claim onY = new Claim("Y", u, Mle.base(yCommitted).evaluate(u));
        MatMul.Proved p = MatMul.prove(s, "X", x, "W", w, onY, tr());
        SumcheckProof proof = bytes(p.proof());
        if (tamper) {
            proof = proof.withRoundValue(0, 0, proof.round(0)[0].add(Fp3.ONE));
        }
        MatMul.Checked c = MatMul.verify(s, "X", "W", onY, proof, tr());
        return holds(c.verdict(), c.verdict().isAccepted() ? List.of(c.onX(), c.onW()) : List.of(), Map.of("X", x, "W", w));
    }

    @Test
    void matmulHonestWrongAndTampered() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (MatMul.Shape s : List.of(new MatMul.Shape(1, 4, 8, 16), new MatMul.Shape(4, 2, 8, 4), new MatMul.Shape(1, 1, 2, 1))) {
            int n = s.batch();
            long[] x = small(r, n * s.rows() * s.inner(), 1000);
            long[] w = small(r, n * s.inner() * s.cols(), 1000);
            long[] y = MatMul.compute(s, x, w);
            assertTrue(matmulHolds(s, x, w, y, r, false), "honest " + s);
            assertFalse(matmulHolds(s, x, w, y, r, true), "tampered " + s);
            for (int run = 0; run < 20; run++) {
                assertFalse(matmulHolds(s, x, w, corrupt(y, r), r, false), "wrong Y entry " + s);
            }
        }
    }

    @Test
    void matmulComputeMatchesSchoolbook() {
        SplittableRandom r = new SplittableRandom(2);
        MatMul.Shape s = new MatMul.Shape(2, 2, 4, 2);
        long[] x = small(r, 16, 50);
        long[] w = small(r, 16, 50);
        long[] y = MatMul.compute(s, x, w);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    long acc = 0;
                    for (int l = 0; l < 4; l++) {
                        acc += Goldilocks.toSigned(x[(b * 2 + i) * 4 + l]) * Goldilocks.toSigned(w[(b * 4 + l) * 2 + j]);
                    }
                    assertEquals(acc, Goldilocks.toSigned(y[(b * 2 + i) * 2 + j]));
                }
            }
        }
    }

    // ---- hadamard ----

    @Test
    void hadamardHonestWrongTamperedAndPublicFactor() throws Exception {
        SplittableRandom r = new SplittableRandom(3);
        long[] a = small(r, 64, 1 << 20);
        long[] b = small(r, 64, 1 << 20);
        long[] z = Hadamard.compute(a, b);
        for (int run = 0; run < 20; run++) {
            boolean wrong = run > 0;
            long[] zc = wrong ? corrupt(z, r) : z;
            Claim onZ = Hadamard.claimAt("Z", zc, point(r, 6));
            Hadamard.Proved p = Hadamard.prove("A", a, "B", b, onZ, tr());
            Hadamard.Checked c = Hadamard.verify("A", "B", null, onZ, bytes(p.proof()), tr());
            assertEquals(!wrong, holds(c.verdict(), c.claims(), Map.of("A", a, "B", b)), "run " + run);
            // public B (RoPE tables): the verifier evaluates B itself
            Hadamard.Checked cp = Hadamard.verify("A", "cos", b, onZ, bytes(p.proof()), tr());
            assertEquals(!wrong, holds(cp.verdict(), cp.claims(), Map.of("A", a)));
            assertEquals(1, cp.verdict().isAccepted() ? cp.claims().size() : 1);
        }
        Claim onZ = Hadamard.claimAt("Z", z, point(r, 6));
        SumcheckProof good = Hadamard.prove("A", a, "B", b, onZ, tr()).proof();
        assertFalse(Hadamard.verify("A", "B", null, onZ, good.withFinalEval(0, 0, Fp3.ONE), tr()).verdict().isAccepted());
        long[] otherPublic = corrupt(b, r);
        assertFalse(Hadamard.verify("A", "cos", otherPublic, onZ, good, tr()).verdict().isAccepted(), "another public factor");
    }

    // ---- rescale: identity + range check of the remainder ----

    static boolean rescaleHolds(long[] x, long[] q, long[] rem, int s) {
        Transcript tp = tr();
        PointIdentity.Proof p = PointIdentity.prove(List.of(x, q, rem), 6, tp);
        Table range = Table.range("rescale", -(1L << (s - 1)), s);
        List<LookupColumn> cols = List.of(LookupColumn.of("R", rem));
        long[] m;
        try {
            m = LogUp.multiplicities(range, cols);
        } catch (IllegalArgumentException outOfRange) {
            // an adversarial prover charges the out-of-range value to some row anyway
            m = new long[range.size()];
            m[0] = rem.length;
        }
        LogUp.Proved lp = LogUp.prove(range, cols, m, tp);
        Transcript tv = tr();
        PointIdentity.Checked c = PointIdentity.verify(List.of("X", "Q", "R"), PointIdentity.rescaleCoefficients(s), 6, p, tv);
        if (!holds(c.verdict(), c.claims(), Map.of("X", x, "Q", q, "R", rem))) {
            return false;
        }
        LogUp.Checked lc = LogUp.verify(range, List.of(cols.get(0).shape()), lp.proof(), tv);
        return holds(lc.verdict(), lc.claims(), Map.of("R", rem, LogUp.multiplicityTensor(range), m));
    }

    @Test
    void rescaleHonestWrongRemainderAndOutOfRangeRemainder() {
        SplittableRandom r = new SplittableRandom(4);
        int s = 8;
        long[] x = small(r, 64, 1 << 24);
        long[][] qr = PointIdentity.rescale(x, s);
        for (int i = 0; i < 64; i++) {
            long v = Goldilocks.toSigned(x[i]);
            assertEquals(Math.floorDiv(v + 128, 256), Goldilocks.toSigned(qr[0][i]), "round half up");
        }
        assertTrue(rescaleHolds(x, qr[0], qr[1], s));
        for (int run = 0; run < 10; run++) {
            assertFalse(rescaleHolds(x, qr[0], corrupt(qr[1], r), s), "wrong remainder");
            assertFalse(rescaleHolds(x, corrupt(qr[0], r), qr[1], s), "wrong quotient");
            // consistent but out of range: R + 2^s, Q - 1 keeps X = 2^s Q + R
            long[] q2 = qr[0].clone();
            long[] r2 = qr[1].clone();
            int i = r.nextInt(64);
            q2[i] = Goldilocks.sub(q2[i], 1);
            r2[i] = Goldilocks.add(r2[i], 1L << s);
            assertFalse(rescaleHolds(x, q2, r2, s), "remainder outside [-2^(s-1), 2^(s-1))");
        }
    }

    @Test
    void residualAddIdentity() {
        SplittableRandom r = new SplittableRandom(5);
        long[] a = small(r, 32, 1 << 29);
        long[] b = small(r, 32, 1 << 29);
        long[] z = new long[32];
        for (int i = 0; i < 32; i++) {
            z[i] = Goldilocks.add(a[i], b[i]);
        }
        for (int run = 0; run < 20; run++) {
            long[] zc = run == 0 ? z : corrupt(z, r);
            Transcript tp = tr();
            PointIdentity.Proof p = PointIdentity.prove(List.of(zc, a, b), 5, tp);
            PointIdentity.Checked c = PointIdentity.verify(List.of("Z", "A", "B"), new long[] {1, -1, -1}, 5, p, tr());
            assertEquals(run == 0, holds(c.verdict(), c.claims(), Map.of("Z", zc, "A", a, "B", b)));
        }
        PointIdentity.Proof p = PointIdentity.prove(List.of(z, a, b), 5, tr());
        Fp3[] vals = p.values().clone();
        vals[1] = vals[1].add(Fp3.ONE);
        assertFalse(PointIdentity.verify(List.of("Z", "A", "B"), new long[] {1, -1, -1}, 5, new PointIdentity.Proof(vals), tr()).verdict().isAccepted());
    }

    // ---- rotate half ----

    @Test
    void rotateHalfHonestWrongAndTampered() {
        SplittableRandom r = new SplittableRandom(6);
        long[] x = small(r, 64, 1000); // 4 rows of heads of size 16
        long[] y = RotateHalf.compute(x, 4);
        assertEquals(Goldilocks.neg(x[8]), y[0]);
        assertEquals(x[0], y[8]);
        for (int run = 0; run < 20; run++) {
            long[] yc = run == 0 ? y : corrupt(y, r);
            RotateHalf.Proof p = RotateHalf.prove(x, yc, 4, tr());
            RotateHalf.Checked c = RotateHalf.verify("X", "Y", 6, 4, p, tr());
            assertEquals(run == 0, holds(c.verdict(), c.claims(), Map.of("X", x, "Y", yc)), "run " + run);
        }
        RotateHalf.Proof p = RotateHalf.prove(x, y, 4, tr());
        assertFalse(RotateHalf.verify("X", "Y", 6, 4, new RotateHalf.Proof(p.y().add(Fp3.ONE), p.x0(), p.x1()), tr()).verdict().isAccepted());
    }

    // ---- selection ----

    @Test
    void selectionHonestWrongRowAndWrongIndices() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        int vocab = 32, cols = 8;
        long[] table = small(r, vocab * cols, 1 << 16);
        int[] idx = {3, 3, 31, 0};
        long[] y = Selection.compute(table, cols, idx);
        for (int run = 0; run < 20; run++) {
            long[] yc = run == 0 ? y : corrupt(y, r);
            Point u = point(r, 5);
            Claim onY = new Claim("Y", u, Mle.base(yc).evaluate(u));
            Selection.Proved p = Selection.prove("E", table, cols, idx, onY, tr());
            Selection.Checked c = Selection.verify("E", vocab, cols, idx, onY, bytes(p.proof()), tr());
            assertEquals(run == 0, holds(c.verdict(), c.verdict().isAccepted() ? List.of(c.onTable()) : List.of(), Map.of("E", table)), "run " + run);
        }
        Point u = point(r, 5);
        Claim onY = new Claim("Y", u, Mle.base(y).evaluate(u));
        SumcheckProof proof = Selection.prove("E", table, cols, idx, onY, tr()).proof();
        assertFalse(Selection.verify("E", vocab, cols, new int[] {3, 4, 31, 0}, onY, proof, tr()).verdict().isAccepted(), "another token");
        assertFalse(Selection.verify("E", vocab, cols, new int[] {3, 3, 32, 0}, onY, proof, tr()).verdict().isAccepted(), "token out of vocabulary");
    }

    // ---- function table ----

    @Test
    void functionApplicationThroughTheTable() {
        long[] xs = new long[256];
        long[] ys = new long[256];
        for (int i = 0; i < 256; i++) {
            xs[i] = i - 128;
            ys[i] = Math.max(0, i - 128); // ReLU-like table
        }
        Table relu = Table.function("relu", xs, ys);
        SplittableRandom r = new SplittableRandom(8);
        long[] x = small(r, 64, 127);
        long[] y = FunctionApply.compute(x, v -> Math.max(0, v));
        for (int run = 0; run < 10; run++) {
            long[] yc = run == 0 ? y : corrupt(y, r);
            List<LookupColumn> cols = List.of(FunctionApply.column(relu, "x", x, "y", yc));
            long[] m;
            try {
                m = LogUp.multiplicities(relu, cols);
            } catch (IllegalArgumentException e) {
                m = new long[relu.size()];
                m[128] = 64;
            }
            LogUp.Proved p = LogUp.prove(relu, cols, m, tr());
            LogUp.Checked c = LogUp.verify(relu, List.of(cols.get(0).shape()), p.proof(), tr());
            Map<String, long[]> committed = new HashMap<>(Map.of("x", x, "y", yc));
            committed.put(LogUp.multiplicityTensor(relu), m);
            assertEquals(run == 0, holds(c.verdict(), c.claims(), committed), "run " + run);
        }
    }

    // ---- wide range via limbs ----

    static boolean wideRangeHolds(long[] v, long[][] limbs, long lo, int k) {
        int count = limbs.length;
        long[] sh = WideRange.shifted(v, lo);
        List<long[]> tensors = new java.util.ArrayList<>();
        tensors.add(sh);
        for (long[] l : limbs) {
            tensors.add(l);
        }
        Transcript tp = tr();
        PointIdentity.Proof p = PointIdentity.prove(tensors, 5, tp);
        Table range = Table.range("limb", 0, k);
        List<LookupColumn> cols = WideRange.columns("v", limbs);
        long[] m;
        try {
            m = LogUp.multiplicities(range, cols);
        } catch (IllegalArgumentException e) {
            m = new long[range.size()];
            m[0] = 32L * count;
        }
        LogUp.Proved lp = LogUp.prove(range, cols, m, tp);
        Transcript tv = tr();
        List<String> names = new java.util.ArrayList<>();
        names.add("v-lo");
        Map<String, long[]> committed = new HashMap<>();
        committed.put("v-lo", sh);
        for (int j = 0; j < count; j++) {
            names.add(WideRange.limbName("v", j));
            committed.put(WideRange.limbName("v", j), limbs[j]);
        }
        committed.put(LogUp.multiplicityTensor(range), m);
        PointIdentity.Checked c = PointIdentity.verify(names, WideRange.coefficients(k, count), 5, p, tv);
        if (!holds(c.verdict(), c.claims(), committed)) {
            return false;
        }
        List<LookupColumn.Shape> shapes = new java.util.ArrayList<>();
        for (LookupColumn col : cols) {
            shapes.add(col.shape());
        }
        LogUp.Checked lc = LogUp.verify(range, shapes, lp.proof(), tv);
        return holds(lc.verdict(), lc.claims(), committed);
    }

    @Test
    void wideRangeThroughLimbs() {
        SplittableRandom r = new SplittableRandom(9);
        long lo = -(1L << 40);
        long[] v = new long[32];
        for (int i = 0; i < 32; i++) {
            v[i] = Goldilocks.fromSigned(lo + (r.nextLong() >>> 16)); // 48-bit offsets
        }
        long[][] limbs = WideRange.limbs(v, lo, 16, 3);
        assertTrue(wideRangeHolds(v, limbs, lo, 16));
        for (int run = 0; run < 10; run++) {
            long[][] bad = {limbs[0].clone(), limbs[1].clone(), limbs[2].clone()};
            int i = r.nextInt(32);
            bad[1][i] = Goldilocks.add(bad[1][i], 1);
            assertFalse(wideRangeHolds(v, bad, lo, 16), "limbs that do not recombine");
            // recombine correctly but with a limb outside [0, 2^16): l0 + 2^16, l1 - 1
            long[][] over = {limbs[0].clone(), limbs[1].clone(), limbs[2].clone()};
            over[0][i] = Goldilocks.add(over[0][i], 1L << 16);
            over[1][i] = Goldilocks.sub(over[1][i], 1);
            assertFalse(wideRangeHolds(v, over, lo, 16), "limb out of range");
        }
        long[] tooBig = {Goldilocks.fromSigned(lo + (1L << 48))};
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> WideRange.limbs(tooBig, lo, 16, 3));
    }
}
