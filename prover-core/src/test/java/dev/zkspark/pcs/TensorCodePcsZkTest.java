package dev.zkspark.pcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.LinearClaim.Eval;
import dev.zkspark.poly.LinearClaim.Slots;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.testing.Rand;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorCodePcsZkTest {
    static final Fp3[] BASIS = {Fp3.ONE, new Fp3(0, 1, 0), new Fp3(0, 0, 1)};

    static Transcript tr() {
        return Transcript.create(Hash.SHA256, "pcs-zk-test", new byte[] {7});
    }

    static byte[] seed(String s) {
        byte[] b = new byte[32];
        byte[] x = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(x, 0, b, 0, Math.min(32, x.length));
        return b;
    }

    /** Small non-negative entries: the hardest case for hiding (a leak shows in the top bits). */
    static long[] small(SplittableRandom r, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(100);
        }
        return a;
    }

    static Point basePoint(SplittableRandom r, int n) {
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            c[i] = Goldilocks.reduce(r.nextLong());
        }
        return Point.ofBase(c);
    }

    /** The slots of extension element e of a mask tensor, weighted by w times the basis. */
    static Slots ext(String tensor, int e, Fp3 w) {
        return new Slots(tensor, new int[] {3 * e, 3 * e + 1, 3 * e + 2}, new Fp3[] {w, w.mul(BASIS[1]), w.mul(BASIS[2])});
    }

    /**
     * A model commitment (W1, W2 and a blinding region) and a witness commitment (X, the mask
     * tensor mu and a blinding region), the blinding regions fresh from the seed.
     */
    record World(Map<String, long[]> values, TensorCodePcs.Committed model, TensorCodePcs.Committed witness,
            TensorCodePcs.Committed mask) {
        List<TensorCodePcs.Committed> states() {
            return List.of(model, witness);
        }

        List<Commitment> commitments() {
            return List.of(model.commitment(), witness.commitment());
        }

        LinearClaim claim(List<LinearClaim.Term> terms) {
            return new LinearClaim(terms, new LinearClaim(terms, Fp3.ZERO).evaluate(values::get));
        }
    }

    static World world(long[] w1, long[] w2, long[] x, long[] mu, byte[] seed) {
        Map<String, long[]> v = new HashMap<>();
        v.put("W1", w1);
        v.put("W2", w2);
        v.put("model/blind", dev.zkspark.sumcheck.ZkMasks.generate(seed, "model-blind", 8));
        v.put("X", x);
        v.put("mu", mu);
        v.put("witness/blind", dev.zkspark.sumcheck.ZkMasks.generate(seed, "witness-blind", 8));
        TensorCodePcs.Committed model = TensorCodePcs.commit(tensors(v, "W1", "W2", "model/blind"), seed);
        byte[] ws = seed.clone();
        ws[0] ^= 1;
        TensorCodePcs.Committed witness = TensorCodePcs.commit(tensors(v, "X", "mu", "witness/blind"), ws);
        int n = Math.max(model.commitment().params().numVars(), witness.commitment().params().numVars());
        return new World(v, model, witness, TensorCodePcs.commitBatchMask(n, seed));
    }

    static List<TensorCodePcs.Tensor> tensors(Map<String, long[]> v, String... names) {
        List<TensorCodePcs.Tensor> out = new ArrayList<>();
        for (String s : names) {
            out.add(new TensorCodePcs.Tensor(s, v.get(s)));
        }
        return out;
    }

    static World honestWorld(SplittableRandom r, byte[] seed) {
        return world(small(r, 1 << 8), small(r, 1 << 6), small(r, 1 << 10), dev.zkspark.sumcheck.ZkMasks.generate(seed, "mu", 16), seed);
    }

    /** Eval and Slots terms, one claim spanning both commitments (W~(r) + r_b mu = revealed). */
    static List<LinearClaim> claims(SplittableRandom r, World w) {
        Fp3 rb = Rand.ext(r);
        return List.of(
                w.claim(List.of(new Eval("W1", Rand.point(r, 8), Fp3.ONE))),
                w.claim(List.of(new Eval("X", Rand.point(r, 10), Fp3.of(3)), new Eval("X", Rand.point(r, 10), Rand.ext(r)))),
                w.claim(List.of(ext("mu", 0, Fp3.ONE))),
                w.claim(List.of(new Eval("W1", Rand.point(r, 8), Fp3.ONE), ext("mu", 1, rb))),
                w.claim(List.of(new Eval("W2", Rand.point(r, 6), Fp3.of(2)), new Slots("X", new int[] {5, 900}, new Fp3[] {Rand.ext(r), Fp3.of(7)}))));
    }

    static ZkOpeningProof viaBytes(ZkOpeningProof p) throws MalformedInputException {
        ByteSource src = new ByteSource(p.toBytes());
        ZkOpeningProof q = ZkOpeningProof.read(src);
        src.expectEnd("zk opening");
        return q;
    }

    static Commitment viaBytes(Commitment c) throws MalformedInputException {
        ByteSource src = new ByteSource(c.toBytes());
        Commitment d = Commitment.read(src);
        src.expectEnd("commitment");
        return d;
    }

    static Verdict check(World w, List<LinearClaim> cl, ZkOpeningProof p) {
        return TensorCodePcs.verifyZk(w.commitments(), w.mask().commitment(), cl, p, tr());
    }

    @Test
    void honestOpeningOverTwoCommitmentsVerifiesFromBytes() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        World w = honestWorld(r, seed("honest"));
        List<LinearClaim> cl = claims(r, w);
        ZkOpeningProof p = TensorCodePcs.openZk(w.states(), w.mask(), cl, tr());
        List<Commitment> cs = new ArrayList<>();
        for (Commitment c : w.commitments()) {
            cs.add(viaBytes(c));
        }
        Verdict v = TensorCodePcs.verifyZk(cs, viaBytes(w.mask().commitment()), cl, viaBytes(p), tr());
        assertTrue(v.isAccepted(), v.toString());
        assertEquals(p.byteSize(), p.toBytes().length);
        // one revealed final per commitment
        assertEquals(2, p.numFinals());

        // a single commitment, plain claims, and commitments of different sizes in either order
        SplittableRandom r2 = new SplittableRandom(12);
        Point pt = Rand.point(r2, 10);
        List<LinearClaim> one = List.of(LinearClaim.of(new Claim("X", pt, Mle.base(w.values().get("X")).evaluate(pt))));
        TensorCodePcs.Committed m1 = TensorCodePcs.commitBatchMask(w.witness().commitment().params().numVars(), seed("one"));
        ZkOpeningProof p1 = TensorCodePcs.openZk(List.of(w.witness()), m1, one, tr());
        assertTrue(TensorCodePcs.verifyZk(List.of(w.witness().commitment()), m1.commitment(), one, viaBytes(p1), tr()).isAccepted());
        ZkOpeningProof p2 = TensorCodePcs.openZk(List.of(w.witness(), w.model()), w.mask(), cl, tr());
        assertTrue(TensorCodePcs.verifyZk(List.of(w.witness().commitment(), w.model().commitment()), w.mask().commitment(), cl, p2, tr())
                .isAccepted());
    }

    @Test
    void everyTamperingIsRejectedWithoutExceptions() throws Exception {
        SplittableRandom r = new SplittableRandom(13);
        World w = honestWorld(r, seed("tamper"));
        List<LinearClaim> cl = claims(r, w);
        ZkOpeningProof good = viaBytes(TensorCodePcs.openZk(w.states(), w.mask(), cl, tr()));
        assertTrue(check(w, cl, good).isAccepted());

        List<LinearClaim> wrong = new ArrayList<>(cl);
        wrong.set(3, new LinearClaim(cl.get(3).terms(), cl.get(3).value().add(Fp3.ONE)));
        assertFalse(check(w, wrong, good).isAccepted(), "wrong claim value");
        assertFalse(check(w, wrong, TensorCodePcs.openZk(w.states(), w.mask(), wrong, tr())).isAccepted(), "false claim opened honestly");

        int n = good.numRounds();
        assertFalse(check(w, cl, good.withRound(0, 0, good.round(0)[0].add(Fp3.ONE))).isAccepted(), "round 0 value at 0");
        assertFalse(check(w, cl, good.withRound(n - 1, 1, good.round(n - 1)[1].add(Fp3.ONE))).isAccepted(), "last round value at 2");
        assertFalse(check(w, cl, good.withMaskSum(good.maskSum().add(Fp3.ONE))).isAccepted(), "mask sum H");
        assertFalse(check(w, cl, good.withFinal(0, good.finalValue(0).add(Fp3.ONE))).isAccepted(), "final value of the model");
        assertFalse(check(w, cl, good.withFinal(1, good.finalValue(1).add(Fp3.ONE))).isAccepted(), "final value of the witness");
        assertFalse(check(w, cl, good.withMaskEval(good.maskEval().add(Fp3.ONE))).isAccepted(), "G_mask(rho)");
        for (int k = 0; k < 3; k++) {
            LigeroOpening o = good.opening(k);
            long e = o.column(2)[0];
            assertFalse(check(w, cl, good.withOpening(k, o.withColumnEntry(2, 0, Goldilocks.add(e, 1)))).isAccepted(), "column of opening " + k);
            assertFalse(check(w, cl, good.withOpening(k, o.withEvalRow(0, o.evalRow()[0].add(Fp3.ONE)))).isAccepted(), "v row of opening " + k);
            int last = o.evalRow().length - 1;
            assertFalse(check(w, cl, good.withOpening(k, o.withEvalRow(last, o.evalRow()[last].add(Fp3.ONE)))).isAccepted(),
                    "v row padding of opening " + k);
            assertFalse(check(w, cl, good.withOpening(k, o.withMaskEval(o.maskEval().add(Fp3.ONE)))).isAccepted(), "y_R of opening " + k);
        }
        // swapped openings, swapped commitments, other statement, other batch mask
        assertFalse(check(w, cl, good.withOpening(0, good.opening(1))).isAccepted(), "swapped opening");
        assertFalse(TensorCodePcs.verifyZk(List.of(w.witness().commitment(), w.model().commitment()), w.mask().commitment(), cl, good, tr())
                .isAccepted(), "commitments in another order");
        assertFalse(TensorCodePcs.verifyZk(w.commitments(), w.mask().commitment(), cl, good,
                Transcript.create(Hash.SHA256, "pcs-zk-test", new byte[] {8})).isAccepted(), "another statement");
        TensorCodePcs.Committed otherMask = TensorCodePcs.commitBatchMask(11, seed("other"));
        assertFalse(TensorCodePcs.verifyZk(w.commitments(), otherMask.commitment(), cl, good, tr()).isAccepted(), "another batch mask");
        Verdict v = TensorCodePcs.verifyZk(w.commitments(), TensorCodePcs.commitBatchMask(5, seed("small")).commitment(), cl, good, tr());
        assertFalse(v.isAccepted(), "a batch mask for too few variables");
        assertTrue(v.reason().contains("batch mask"), v.reason());

        // claims the verifier cannot place, and the prover refuses
        List<LinearClaim> unknown = new ArrayList<>(cl);
        unknown.set(0, new LinearClaim(List.of(new Eval("nope", Rand.point(r, 8), Fp3.ONE)), cl.get(0).value()));
        v = check(w, unknown, good);
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("nope"), v.reason());
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.openZk(w.states(), w.mask(), unknown, tr()));
        List<LinearClaim> outOfRange = new ArrayList<>(cl);
        outOfRange.set(2, new LinearClaim(List.of(new Slots("mu", new int[] {16}, new Fp3[] {Fp3.ONE})), Fp3.ZERO));
        v = check(w, outOfRange, good);
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("slot 16"), v.reason());
        assertThrows(IllegalArgumentException.class, () -> TensorCodePcs.openZk(w.states(), w.mask(), outOfRange, tr()));
        List<LinearClaim> negative = List.of(new LinearClaim(List.of(new Slots("mu", new int[] {-1}, new Fp3[] {Fp3.ONE})), Fp3.ZERO));
        assertFalse(check(w, negative, good).isAccepted(), "negative slot");
        List<LinearClaim> badPoint = List.of(new LinearClaim(List.of(new Eval("W1", Rand.point(r, 7), Fp3.ONE)), Fp3.ZERO));
        assertFalse(check(w, badPoint, good).isAccepted(), "point of the wrong size");
        // a tensor name held by two commitments is ambiguous
        v = TensorCodePcs.verifyZk(List.of(w.model().commitment(), w.witness().commitment(), w.witness().commitment()), w.mask().commitment(),
                cl, good, tr());
        assertFalse(v.isAccepted());
        assertTrue(v.reason().contains("commitments 1 and 2"), v.reason());
        assertFalse(TensorCodePcs.verifyZk(w.commitments(), w.mask().commitment(), List.of(), good, tr()).isAccepted(), "no claims");
        assertFalse(TensorCodePcs.verifyZk(List.of(), w.mask().commitment(), cl, good, tr()).isAccepted(), "no commitments");
        assertFalse(TensorCodePcs.verifyZk(w.commitments(), w.mask().commitment(), cl, null, tr()).isAccepted(), "no proof");
        assertFalse(TensorCodePcs.verifyZk(List.of(w.model().commitment()), w.mask().commitment(), cl, good, tr()).isAccepted(),
                "a commitment missing");
    }

    @Test
    void truncatedAndCorruptedBytesAreRejected() throws Exception {
        SplittableRandom r = new SplittableRandom(14);
        World w = honestWorld(r, seed("bytes"));
        List<LinearClaim> cl = claims(r, w);
        byte[] b = TensorCodePcs.openZk(w.states(), w.mask(), cl, tr()).toBytes();
        int rejected = 0;
        int trials = 120;
        for (int trial = 0; trial < trials; trial++) {
            byte[] x;
            if (trial % 3 == 0) {
                x = java.util.Arrays.copyOf(b, trial == 0 ? b.length - 1 : r.nextInt(b.length));
            } else {
                x = b.clone();
                x[r.nextInt(x.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                ByteSource src = new ByteSource(x);
                ZkOpeningProof q = ZkOpeningProof.read(src);
                src.expectEnd("zk opening");
                if (!check(w, cl, q).isAccepted()) {
                    rejected++;
                }
            } catch (MalformedInputException e) {
                rejected++;
            }
        }
        assertEquals(trials, rejected);
        // hostile counts are refused before allocating
        ByteSink s = new ByteSink();
        s.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(0).u32(0).u64(0).u32(1 << 16);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s.toByteArray())));
        ByteSink s2 = new ByteSink();
        s2.ext(Fp3.ZERO).u32(Integer.MAX_VALUE);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s2.toByteArray())));
        ByteSink s3 = new ByteSink(); // an evaluation row of 2^26 elements announced, 8 bytes present
        s3.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(1 << 26).u64(0);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s3.toByteArray())));
        ByteSink s4 = new ByteSink(); // a column of 2^26 entries announced
        s4.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(0).u32(0).u64(0).u32(1).u32(1 << 26);
        s4.bytes(new byte[64]);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s4.toByteArray())));
    }

    @Test
    void proofSizesAt2to16() throws Exception {
        SplittableRandom r = new SplittableRandom(15);
        byte[] sd = seed("sizes");
        List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("X", small(r, 1 << 15)),
                new TensorCodePcs.Tensor("Y", small(r, 1 << 14)),
                new TensorCodePcs.Tensor("blind", dev.zkspark.sumcheck.ZkMasks.generate(sd, "blind", 8)));
        TensorCodePcs.Committed st = TensorCodePcs.commit(ts, sd);
        assertEquals(16, st.commitment().params().numVars());
        List<Claim> plain = new ArrayList<>();
        for (TensorCodePcs.Tensor t : ts.subList(0, 2)) {
            Point p = Rand.point(r, Integer.numberOfTrailingZeros(t.values().length));
            plain.add(new Claim(t.name(), p, Mle.base(t.values()).evaluate(p)));
        }
        OpeningProof op = TensorCodePcs.open(st, plain, tr());
        assertTrue(TensorCodePcs.verify(st.commitment(), plain, op, tr()).isAccepted());
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(16, sd);
        List<LinearClaim> lin = LinearClaim.ofAll(plain);
        ZkOpeningProof zp = TensorCodePcs.openZk(List.of(st), mask, lin, tr());
        assertTrue(TensorCodePcs.verifyZk(List.of(st.commitment()), mask.commitment(), lin, viaBytes(zp), tr()).isAccepted());
        ByteSink maskOpening = new ByteSink();
        zp.opening(1).write(maskOpening);
        System.out.printf("pcs 2^16 witness: open %d bytes, openZk %d bytes (batch-mask opening %d bytes; params %s, mask params %s)%n",
                op.byteSize(), zp.byteSize(), maskOpening.size(), st.commitment().params(), mask.commitment().params());
    }

    // ---------------------------------------------------------------- hiding statistics

    static final int OPENINGS = 100;

    /** The top bit of the base coordinate of each revealed value, counted per position. */
    static int[] topBitCounts(List<List<Fp3>> revealed) {
        int[] counts = new int[revealed.get(0).size()];
        for (List<Fp3> rev : revealed) {
            assertEquals(counts.length, rev.size(), "openings of one shape reveal the same number of values");
            for (int i = 0; i < counts.length; i++) {
                counts[i] += (int) (rev.get(i).c0 >>> 63);
            }
        }
        return counts;
    }

    /**
     * Positions whose count is more than 6 standard deviations from N/2 (uniform values have their top
     * bit set with probability 1/2 - 2^-33), plus a pooled chi-square over all positions.
     */
    static String nonUniformity(int[] counts, int n) {
        double sd = Math.sqrt(n / 4.0);
        double chi = 0;
        for (int i = 0; i < counts.length; i++) {
            double d = counts[i] - n / 2.0;
            if (Math.abs(d) > 6 * sd) {
                return "position " + i + ": top bit set in " + counts[i] + " of " + n;
            }
            chi += d * d / (sd * sd);
        }
        int m = counts.length;
        if (Math.abs(chi - m) > 8 * Math.sqrt(2.0 * m)) {
            return "pooled chi-square " + chi + " over " + m + " positions";
        }
        return null;
    }

    /** Two-sample comparison per position: A's and B's counts differ by at most 6 standard deviations. */
    static String distinguishable(int[] a, int[] b, int n) {
        double sd = Math.sqrt(n / 2.0);
        double chi = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            if (Math.abs(d) > 6 * sd) {
                return "position " + i + ": " + a[i] + " vs " + b[i];
            }
            chi += d * d / (sd * sd);
        }
        int m = a.length;
        return Math.abs(chi - m) > 8 * Math.sqrt(2.0 * m) ? "pooled chi-square " + chi + " over " + m : null;
    }

    /** Sets b's entries 0..m-1 so that b~ and a~ agree at the m base-field points. */
    static void agreeAt(long[] b, long[] a, List<Point> points) {
        int m = points.size();
        long[][] e = new long[m][m + 1];
        for (int i = 0; i < m; i++) {
            Point p = points.get(i);
            long rest = Goldilocks.sub(Mle.base(a).evaluate(p).c0, Mle.base(b).evaluate(p).c0);
            for (int j = 0; j < m; j++) {
                e[i][j] = Mle.eqAt(p, j).c0;
                rest = Goldilocks.add(rest, Goldilocks.mul(e[i][j], b[j]));
            }
            e[i][m] = rest;
        }
        for (int c = 0; c < m; c++) {
            int piv = c;
            while (e[piv][c] == 0) {
                piv++;
            }
            long[] tmp = e[c];
            e[c] = e[piv];
            e[piv] = tmp;
            long inv = Goldilocks.inv(e[c][c]);
            for (int j = c; j <= m; j++) {
                e[c][j] = Goldilocks.mul(e[c][j], inv);
            }
            for (int i = 0; i < m; i++) {
                if (i != c && e[i][c] != 0) {
                    long f = e[i][c];
                    for (int j = c; j <= m; j++) {
                        e[i][j] = Goldilocks.sub(e[i][j], Goldilocks.mul(f, e[c][j]));
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            b[j] = e[j][m];
        }
    }

    @Test
    void revealedValuesAreUniformAndDoNotDependOnTheCommittedTensors() {
        SplittableRandom r = new SplittableRandom(16);
        // A and B: different small-valued tensors satisfying the same claims (claims at base-field
        // points, one at the hypercube point 0: the case that leaks in a plain sumcheck)
        long[] w1a = small(r, 1 << 8), w2a = small(r, 1 << 6), xa = small(r, 1 << 10);
        long[] w1b = small(r, 1 << 8), w2b = small(r, 1 << 6), xb = small(r, 1 << 10);
        Point p0 = basePoint(r, 8), p3 = basePoint(r, 8), p2 = basePoint(r, 10);
        Point zero = Point.ofBase(new long[6]);
        agreeAt(w1b, w1a, List.of(p0, p3));
        agreeAt(w2b, w2a, List.of(zero));
        agreeAt(xb, xa, List.of(p2));
        assertFalse(java.util.Arrays.equals(w1a, w1b));
        Fp3 rb = Rand.ext(r);
        List<List<Fp3>> revA = new ArrayList<>();
        List<List<Fp3>> revB = new ArrayList<>();
        List<List<Fp3>> plainRev = new ArrayList<>();
        List<List<Fp3>> zkRev = new ArrayList<>();
        for (int i = 0; i < OPENINGS; i++) {
            long[] mu = dev.zkspark.sumcheck.ZkMasks.generate(seed("mu" + i), "mu", 16);
            World a = world(w1a, w2a, xa, mu, seed("A" + i));
            World b = world(w1b, w2b, xb, mu, seed("B" + i));
            List<LinearClaim> cl = List.of(
                    a.claim(List.of(new Eval("W1", p0, Fp3.ONE))),
                    a.claim(List.of(new Eval("W2", zero, Fp3.ONE))),
                    a.claim(List.of(new Eval("X", p2, Fp3.of(5)))),
                    a.claim(List.of(new Eval("W1", p3, Fp3.ONE), ext("mu", 0, rb))),
                    a.claim(List.of(ext("mu", 1, Fp3.ONE))));
            for (LinearClaim c : cl) {
                assertTrue(c.holds(b.values()::get), "B satisfies A's claims");
            }
            ZkOpeningProof pa = TensorCodePcs.openZk(a.states(), a.mask(), cl, tr());
            ZkOpeningProof pb = TensorCodePcs.openZk(b.states(), b.mask(), cl, tr());
            if (i < 2) {
                assertTrue(check(a, cl, pa).isAccepted());
                assertTrue(check(b, cl, pb).isAccepted());
            }
            revA.add(pa.revealed());
            revB.add(pb.revealed());
            // the negative twin: the plain opening of the model's claims, same tensors, same seeds
            List<Claim> plain = List.of(new Claim("W2", zero, Fp3.of(w2a[0])));
            OpeningProof op = TensorCodePcs.open(a.model(), plain, tr());
            plainRev.add(List.of(op.batching.round(0)));
            // and the zero-knowledge opening of exactly that claim (fresh commitments: open once)
            World c = world(w1a, w2a, xa, mu, seed("C" + i));
            List<LinearClaim> single = List.of(LinearClaim.of(plain.get(0)));
            zkRev.add(TensorCodePcs.openZk(c.states(), c.mask(), single, tr()).revealed());
        }
        int[] ca = topBitCounts(revA);
        int[] cb = topBitCounts(revB);
        String why = nonUniformity(ca, OPENINGS);
        assertTrue(why == null, "A: " + why);
        why = nonUniformity(cb, OPENINGS);
        assertTrue(why == null, "B: " + why);
        why = distinguishable(ca, cb, OPENINGS);
        assertTrue(why == null, "A vs B: " + why);
        // the same test catches the plain batching sumcheck: at the hypercube point 0 its kernel G
        // selects one entry, so its first message at 0 is W2[0] itself, a small value
        String plainWhy = nonUniformity(topBitCounts(plainRev), OPENINGS);
        assertTrue(plainWhy != null && plainWhy.startsWith("position 0"), "the plain opening's first round should look biased: " + plainWhy);
        why = nonUniformity(topBitCounts(zkRev), OPENINGS);
        assertTrue(why == null, "the zero-knowledge opening of the same claim: " + why);
    }

    // ---------------------------------------------------------------- companions (reused commitments)

    static Transcript tr(String statement) {
        return Transcript.create(Hash.SHA256, "pcs-zk-test", statement.getBytes(StandardCharsets.UTF_8));
    }

    /** The world's model opened with a fresh companion; the batch mask has the b variable. */
    record WithCompanion(TensorCodePcs.Committed companion, TensorCodePcs.Committed mask, ZkOpeningProof proof) {}

    static WithCompanion openWithCompanion(World w, List<LinearClaim> cl, String proofSeed, Transcript t) {
        TensorCodePcs.Committed comp = TensorCodePcs.commitCompanion(w.model().commitment().params(), seed(proofSeed + "/companion"));
        int n = Math.max(w.model().commitment().params().numVars(), w.witness().commitment().params().numVars());
        TensorCodePcs.Committed mask = TensorCodePcs.commitBatchMask(n + 1, seed(proofSeed + "/mask"));
        ZkOpeningProof p = TensorCodePcs.openZk(w.states(), java.util.Arrays.asList(comp, null), mask, cl, t);
        return new WithCompanion(comp, mask, p);
    }

    static Verdict checkWith(World w, Commitment comp, Commitment mask, List<LinearClaim> cl, ZkOpeningProof p) {
        return TensorCodePcs.verifyZk(w.commitments(), java.util.Arrays.asList(comp, null), mask, cl, p, tr());
    }

    @Test
    void openingWithACompanionVerifiesFromBytesAndRejectsTampering() throws Exception {
        SplittableRandom r = new SplittableRandom(41);
        World w = honestWorld(r, seed("companion"));
        List<LinearClaim> cl = claims(r, w);
        WithCompanion o = openWithCompanion(w, cl, "proof-1", tr());
        ZkOpeningProof p = viaBytes(o.proof());
        Commitment comp = viaBytes(o.companion().commitment());
        Commitment mask = viaBytes(o.mask().commitment());
        int vars = Math.max(w.model().commitment().params().numVars(), w.witness().commitment().params().numVars());
        assertEquals(vars + 1, p.numRounds(), "the b variable adds one round");
        assertEquals(1, p.numCompanions());
        Verdict ok = checkWith(w, comp, mask, cl, p);
        assertTrue(ok.isAccepted(), ok.reason());

        // a companion column entry (the blinding row, an R_eval and an R_prox coordinate)
        for (int row : new int[] {0, 2, 5}) {
            ZkOpeningProof bad = p.withCompanion(0, p.companion(0).withColumnEntry(3, row, 12345));
            assertFalse(checkWith(w, comp, mask, cl, bad).isAccepted(), "companion row " + row);
        }
        // the model's own columns are still checked
        assertFalse(checkWith(w, comp, mask, cl, p.withOpening(0, p.opening(0).withColumnEntry(0, 1, 99))).isAccepted());
        // a final value, an evaluation row entry
        assertFalse(checkWith(w, comp, mask, cl, p.withFinal(0, p.finalValue(0).add(Fp3.ONE))).isAccepted());
        assertFalse(checkWith(w, comp, mask, cl, p.withOpening(0, p.opening(0).withEvalRow(5, Fp3.of(5)))).isAccepted());
        // another (honest) companion of the same shape, not the one the proof was made with
        Commitment other = TensorCodePcs.commitCompanion(w.model().commitment().params(), seed("proof-2/companion")).commitment();
        assertFalse(checkWith(w, other, mask, cl, p).isAccepted(), "wrong companion");
        // no companion at all, or the companion declared for the witness
        Verdict missing = TensorCodePcs.verifyZk(w.commitments(), mask, cl, p, tr());
        assertFalse(missing.isAccepted());
        Verdict none = TensorCodePcs.verifyZk(w.commitments(), java.util.Arrays.asList(null, null), mask, cl, p, tr());
        assertFalse(none.isAccepted());
        Verdict swapped = TensorCodePcs.verifyZk(w.commitments(), java.util.Arrays.asList(null, comp), mask, cl, p, tr());
        assertFalse(swapped.isAccepted(), "a companion of the model's code cannot serve the witness");
        // a companion of another code is refused by the prover too
        PcsParams mp = w.model().commitment().params();
        TensorCodePcs.Committed wrongShape = TensorCodePcs.commitCompanion(
                new PcsParams(mp.numVars(), mp.rowVars(), mp.colVars(), mp.codeVars(), mp.queries() - 1), seed("x"));
        assertThrows(IllegalArgumentException.class,
                () -> TensorCodePcs.openZk(w.states(), java.util.Arrays.asList(wrongShape, null), o.mask(), cl, tr()));
        // the companion's columns missing from the bytes
        ByteSink sink = new ByteSink();
        p.write(sink);
        byte[] full = sink.toByteArray();
        ByteSink cut = new ByteSink();
        new ZkOpeningProof(p.maskSum(), rounds(p), p.finals(), p.maskEval(), openings(p), new ColumnSet[0]).write(cut);
        assertTrue(cut.size() < full.length);
        assertFalse(checkWith(w, comp, mask, cl, viaBytes(new ZkOpeningProof(p.maskSum(), rounds(p), p.finals(), p.maskEval(),
                openings(p), new ColumnSet[0]))).isAccepted());
        // a batch mask without the b variable
        assertFalse(checkWith(w, comp, TensorCodePcs.commitBatchMask(vars, seed("m")).commitment(), cl, p).isAccepted());
    }

    static Fp3[][] rounds(ZkOpeningProof p) {
        Fp3[][] out = new Fp3[p.numRounds()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = p.round(j);
        }
        return out;
    }

    static LigeroOpening[] openings(ZkOpeningProof p) {
        LigeroOpening[] out = new LigeroOpening[p.numOpenings()];
        for (int k = 0; k < out.length; k++) {
            out[k] = p.opening(k);
        }
        return out;
    }

    /**
     * The cross-proof attack on a reused commitment: two openings of the same model give
     * v_t = sum_i eq(rho_t hi)_i M_i + mu_t R (+ the companion's terms), with mu_t, rho_t public
     * (Fiat-Shamir). Without companions R is the model's fixed mask row, so v_1 - (mu_1/mu_2) v_2
     * is the combination sum_i (eq_1 - c eq_2)_i M_i of weight rows in the clear; with companions
     * the two masks are independent and the same computation gives a uniformly masked vector.
     */
    @Test
    void twoProofsRevealWeightRowsWithoutCompanionsButNotWithThem() {
        SplittableRandom r = new SplittableRandom(43);
        World w = honestWorld(r, seed("reused-model"));
        TensorCodePcs.Committed model = w.model();
        PcsParams p = model.commitment().params();
        int n = Math.max(p.numVars(), w.witness().commitment().params().numVars());
        for (boolean companions : new boolean[] {false, true}) {
            Fp3[][] v = new Fp3[2][];
            Fp3[] mu = new Fp3[2];
            Point[] rho = new Point[2];
            for (int t = 0; t < 2; t++) {
                List<LinearClaim> cl = claims(r, w);
                String ps = "proof-" + t;
                ZkOpeningProof proof;
                List<Commitment> comps;
                Commitment mask;
                if (companions) {
                    WithCompanion o = openWithCompanion(w, cl, ps, tr(ps));
                    proof = o.proof();
                    comps = java.util.Arrays.asList(o.companion().commitment(), null);
                    mask = o.mask().commitment();
                } else {
                    TensorCodePcs.Committed m = TensorCodePcs.commitBatchMask(n, seed(ps + "/mask"));
                    proof = TensorCodePcs.openZk(w.states(), m, cl, tr(ps));
                    comps = null;
                    mask = m.commitment();
                }
                // everything below comes from the proof and the public transcript
                ZkBatchOpening.Trace trace = new ZkBatchOpening.Trace();
                Verdict ok = ZkBatchOpening.verify(w.commitments(), comps, mask, cl, proof, tr(ps), trace);
                assertTrue(ok.isAccepted(), ok.reason());
                v[t] = proof.opening(0).evalRow();
                mu[t] = trace.mu.get(0);
                rho[t] = trace.points[0];
            }
            Fp3 c = mu[0].mul(mu[1].inv());
            long[] eq1 = Mle.eqTable(rho[0].slice(p.colVars(), p.numVars())).data();
            long[] eq2 = Mle.eqTable(rho[1].slice(p.colVars(), p.numVars())).data();
            int equal = 0;
            for (int x = 0; x < p.messageLength(); x++) {
                Fp3 d = v[0][x].sub(c.mul(v[1][x]));
                Fp3 e = Fp3.ZERO;
                for (int i = 0; i < p.rows(); i++) {
                    Fp3 coef = Fp3.get(eq1, i).sub(c.mul(Fp3.get(eq2, i)));
                    e = e.add(coef.mul(TensorCodePcs.rowMessage(model, p, i)[x]));
                }
                equal += d.equals(e) ? 1 : 0;
            }
            if (companions) {
                assertEquals(0, equal, "with companions the difference stays masked at every coordinate");
            } else {
                assertEquals(p.messageLength(), equal, "without companions the fixed mask row cancels: weight rows leak");
            }
        }
    }

    /**
     * The proximity row's masking needs F_p^3 mask rows: with a base-field row R_prox,
     * u = sum_i gamma^i M_i + R_prox would have the coordinates c1, c2 of sum_i gamma^i M_i in the
     * clear (the negative twin below builds such a row). Both the commitment's own mask rows and the
     * companion's are F_p^3 rows, so the same reading gives nothing.
     */
    @Test
    void proximityRowShowsNoCoordinateOfTheDataRows() {
        SplittableRandom r = new SplittableRandom(47);
        World w = honestWorld(r, seed("prox-leak"));
        TensorCodePcs.Committed model = w.model();
        PcsParams p = model.commitment().params();
        int n = Math.max(p.numVars(), w.witness().commitment().params().numVars());
        for (boolean companions : new boolean[] {false, true}) {
            List<LinearClaim> cl = claims(r, w);
            ZkOpeningProof proof;
            List<Commitment> comps = null;
            Commitment mask;
            if (companions) {
                WithCompanion o = openWithCompanion(w, cl, "prox", tr("prox"));
                proof = o.proof();
                comps = java.util.Arrays.asList(o.companion().commitment(), null);
                mask = o.mask().commitment();
            } else {
                TensorCodePcs.Committed m = TensorCodePcs.commitBatchMask(n, seed("prox/mask"));
                proof = TensorCodePcs.openZk(w.states(), m, cl, tr("prox"));
                mask = m.commitment();
            }
            ZkBatchOpening.Trace trace = new ZkBatchOpening.Trace();
            assertTrue(ZkBatchOpening.verify(w.commitments(), comps, mask, cl, proof, tr("prox"), trace).isAccepted());
            Fp3 gamma = trace.gamma.get(0);
            Fp3[] u = proof.opening(0).proxRow();
            int leaked = 0;
            int leakedBase = 0;
            for (int x = 0; x < p.cols(); x++) {
                Fp3 g = Fp3.ZERO;
                Fp3 pw = Fp3.ONE;
                for (int i = 0; i < p.rows(); i++) {
                    g = g.add(pw.mul(TensorCodePcs.rowMessage(model, p, i)[x]));
                    pw = pw.mul(gamma);
                }
                leaked += g.c1 == u[x].c1 && g.c2 == u[x].c2 ? 1 : 0;
                // negative twin: the same data masked by a base-field row shows through
                Fp3 baseMasked = g.add(Fp3.of(Goldilocks.reduce(r.nextLong())));
                leakedBase += g.c1 == baseMasked.c1 && g.c2 == baseMasked.c2 ? 1 : 0;
            }
            assertEquals(0, leaked, companions ? "with a companion" : "with the commitment's own mask rows");
            assertEquals(p.cols(), leakedBase);
        }
    }

    // ---------------------------------------------------------------- padding budget

    /** Codeword positions {@code pos} of the unit messages e_(cols + i): the padding's t x padding matrix. */
    static long[][] padMatrix(PcsParams p, int[] pos) {
        long[][] v = new long[pos.length][p.padding()];
        for (int i = 0; i < p.padding(); i++) {
            long[] unit = new long[p.messageLength()];
            unit[p.cols() + i] = 1;
            long[] cw = TensorCodePcs.encode(p, unit);
            for (int s = 0; s < pos.length; s++) {
                v[s][i] = cw[pos[s]];
            }
        }
        return v;
    }

    /** Rank over Goldilocks (Gaussian elimination on a copy). */
    static int rank(long[][] m) {
        long[][] a = new long[m.length][];
        for (int i = 0; i < m.length; i++) {
            a[i] = m[i].clone();
        }
        int rank = 0;
        for (int col = 0; col < a[0].length && rank < a.length; col++) {
            int piv = -1;
            for (int i = rank; i < a.length; i++) {
                if (a[i][col] != 0) {
                    piv = i;
                    break;
                }
            }
            if (piv < 0) {
                continue;
            }
            long[] tmp = a[piv];
            a[piv] = a[rank];
            a[rank] = tmp;
            long inv = Goldilocks.inv(a[rank][col]);
            for (int i = 0; i < a.length; i++) {
                if (i != rank && a[i][col] != 0) {
                    long f = Goldilocks.mul(a[i][col], inv);
                    for (int c = col; c < a[i].length; c++) {
                        a[i][c] = Goldilocks.sub(a[i][c], Goldilocks.mul(f, a[rank][c]));
                    }
                }
            }
            rank++;
        }
        return rank;
    }

    /**
     * lambda with lambda_q = 1 and sum_s lambda_s V[s] = 0 over rows 0..q-1 and row {@code extra} of a
     * t x q padding matrix (the first q rows are independent, so position extra is an affine
     * function of positions 0..q-1 whatever the padding).
     */
    static long[] relation(long[][] v, int q, int extra) {
        // solve sum_{s<q} l_s V[s][i] = -V[extra][i] for every padding column i (q x q system)
        long[][] a = new long[q][q + 1];
        for (int i = 0; i < q; i++) {
            for (int s = 0; s < q; s++) {
                a[i][s] = v[s][i];
            }
            a[i][q] = Goldilocks.neg(v[extra][i]);
        }
        for (int col = 0; col < q; col++) {
            int piv = col;
            while (a[piv][col] == 0) {
                piv++;
            }
            long[] tmp = a[piv];
            a[piv] = a[col];
            a[col] = tmp;
            long inv = Goldilocks.inv(a[col][col]);
            for (int c = col; c <= q; c++) {
                a[col][c] = Goldilocks.mul(a[col][c], inv);
            }
            for (int i = 0; i < q; i++) {
                if (i != col && a[i][col] != 0) {
                    long f = a[i][col];
                    for (int c = col; c <= q; c++) {
                        a[i][c] = Goldilocks.sub(a[i][c], Goldilocks.mul(f, a[col][c]));
                    }
                }
            }
        }
        long[] l = new long[q];
        for (int s = 0; s < q; s++) {
            l[s] = a[s][q];
        }
        return l;
    }

    /**
     * A commitment with padding budget B opens B x q positions of a row's codeword uniformly (the
     * generalized Vandermonde V_pad has full row rank B q, checked exactly, and the top bits of many
     * independent commitments of the same small data look uniform), while with padding q (B = 1)
     * every position beyond the first q is the same affine function of those q in every commitment
     * of the data: what a collector of B = 1 proofs of one model would exploit.
     */
    @Test
    void paddingBudgetMakesBudgetTimesQueriesOpenedPositionsUniform() {
        int q = 4;
        int budget = 3;
        PcsParams one = new PcsParams(6, 0, 6, 8, q);
        PcsParams many = new PcsParams(6, 0, 6, 8, q, budget);
        assertEquals(one.messageLength() + (budget - 1) * q, many.messageLength());
        int t = budget * q;
        int[] pos = new int[t];
        for (int s = 0; s < t; s++) {
            pos[s] = (7 + 37 * s) % one.codeLength();
        }
        long[] data = small(new SplittableRandom(5), 64);
        List<TensorCodePcs.Tensor> tensor = List.of(new TensorCodePcs.Tensor("W", data));

        // B = 1: positions q..t-1 are affine functions of positions 0..q-1, the same in every commitment
        long[][] v1 = padMatrix(one, pos);
        assertEquals(q, rank(v1), "only q dimensions of randomness behind " + t + " positions");
        long[][] rel = new long[t][];
        for (int s = q; s < t; s++) {
            rel[s] = relation(v1, q, s);
        }
        long[] constant = new long[t];
        for (int k = 0; k < 12; k++) {
            long[] cw = TensorCodePcs.commit(tensor, seed("pad-" + k), one, 1).codewords[0];
            for (int s = q; s < t; s++) {
                long acc = cw[pos[s]];
                for (int x = 0; x < q; x++) {
                    acc = Goldilocks.add(acc, Goldilocks.mul(rel[s][x], cw[pos[x]]));
                }
                if (k == 0) {
                    constant[s] = acc;
                }
                assertEquals(constant[s], acc, "B = 1: position " + s + " is determined by the first q and the data");
            }
        }

        // B = 3: all t positions uniform
        assertEquals(t, rank(padMatrix(many, pos)), "generalized Vandermonde of full row rank");
        int samples = 512;
        int[] top = new int[t];
        java.util.Set<Long> relValues = new java.util.HashSet<>();
        for (int k = 0; k < samples; k++) {
            long[] cw = TensorCodePcs.commit(tensor, seed("pad-" + k), many, 1).codewords[0];
            for (int s = 0; s < t; s++) {
                top[s] += cw[pos[s]] >>> 63;
            }
            long acc = cw[pos[q]];
            for (int x = 0; x < q; x++) {
                acc = Goldilocks.add(acc, Goldilocks.mul(rel[q][x], cw[pos[x]]));
            }
            relValues.add(acc);
        }
        for (int s = 0; s < t; s++) {
            // binomial(512, 1/2): sd 11.3, so 6 sd is 68
            assertTrue(Math.abs(top[s] - samples / 2) < 68, "B = 3, position " + s + ": top bit set " + top[s] + " of " + samples);
        }
        assertEquals(samples, relValues.size(), "B = 3: the B = 1 relation no longer holds");
    }

    @Test
    void budgetIsEncodedOnlyWhenAboveOneAndChooseIsUnchangedForOne() throws Exception {
        PcsParams one = new PcsParams(6, 0, 6, 8, 4);
        ByteSink a = new ByteSink();
        one.write(a);
        assertEquals(8, a.size(), "budget 1 keeps the original eight bytes");
        PcsParams many = new PcsParams(6, 0, 6, 8, 4, 5);
        ByteSink b = new ByteSink();
        many.write(b);
        assertEquals(12, b.size());
        assertEquals(many, PcsParams.read(new ByteSource(b.toByteArray())));
        assertEquals(one, PcsParams.read(new ByteSource(a.toByteArray())));
        byte[] flagOne = b.toByteArray();
        flagOne[8] = 1; // u32 budget 1 with the flag set: a second encoding of budget 1
        for (int i = 9; i < 12; i++) {
            flagOne[i] = 0;
        }
        assertThrows(MalformedInputException.class, () -> PcsParams.read(new ByteSource(flagOne)));
        for (int n : new int[] {10, 16, 21}) {
            assertEquals(PcsParams.choose(n, 100), PcsParams.choose(n, 100, 1));
            PcsParams p4 = PcsParams.choose(n, 100, 4);
            assertEquals(4, p4.zkBudget());
            assertTrue(p4.soundnessBits() >= 100);
        }
    }

    /**
     * KNOWN LEAK (not fixed here, docs/ZK.md §6): the batch mask is opened with its own base-field
     * mask row, and for a one-row matrix v = M_0 + mu R_eval with M_0[x], R_eval[x] in F_p, which
     * the F_p-independence of 1 and mu decomposes uniquely: the Libra coefficients are revealed,
     * so the batching sumcheck's round messages are unmasked. This test pins the leak so that the
     * fix (F_p^3 mask rows or a companion for the batch mask) flips it.
     */
    @Test
    void batchMaskOpeningNoLongerRevealsLibraCoefficients() {
        // with base-field mask rows, v = M_0 + mu R split uniquely (1 and mu are independent over
        // F_p): R = v.c1 / mu.c1, M_0 = v.c0 - mu.c0 R gave every coefficient of Libra's mask. The
        // mask rows are F_p^3 now; the same computation must not recover the coefficients.
        SplittableRandom r = new SplittableRandom(53);
        World w = honestWorld(r, seed("libra-leak"));
        List<LinearClaim> cl = claims(r, w);
        WithCompanion o = openWithCompanion(w, cl, "libra", tr("libra"));
        ZkBatchOpening.Trace trace = new ZkBatchOpening.Trace();
        assertTrue(ZkBatchOpening.verify(w.commitments(), java.util.Arrays.asList(o.companion().commitment(), null),
                o.mask().commitment(), cl, o.proof(), tr("libra"), trace).isAccepted());
        Fp3 mu = trace.mu.get(trace.mu.size() - 1);
        Fp3[] v = o.proof().opening(o.proof().numOpenings() - 1).evalRow();
        long[] coefficients = o.mask().poly;
        long muInv1 = Goldilocks.inv(mu.c1);
        int recovered = 0;
        for (int x = 0; x < coefficients.length; x++) {
            long rx = Goldilocks.mul(v[x].c1, muInv1);
            long mx = Goldilocks.sub(v[x].c0, Goldilocks.mul(mu.c0, rx));
            if (coefficients[x] == mx && coefficients[x] != 0) {
                recovered++;
            }
        }
        assertEquals(0, recovered, "coefficient entries recovered from the opening alone");
    }
}
