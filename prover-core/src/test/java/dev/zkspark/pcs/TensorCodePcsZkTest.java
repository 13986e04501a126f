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
        s.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(0).u32(0).u32(1 << 16);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s.toByteArray())));
        ByteSink s2 = new ByteSink();
        s2.ext(Fp3.ZERO).u32(Integer.MAX_VALUE);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s2.toByteArray())));
        ByteSink s3 = new ByteSink(); // an evaluation row of 2^26 elements announced, 8 bytes present
        s3.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(1 << 26).u64(0);
        assertThrows(MalformedInputException.class, () -> ZkOpeningProof.read(new ByteSource(s3.toByteArray())));
        ByteSink s4 = new ByteSink(); // a column of 2^26 entries announced
        s4.ext(Fp3.ZERO).u32(0).exts(new Fp3[0]).ext(Fp3.ZERO).u32(1).ext(Fp3.ZERO).u32(0).u32(0).u32(1).u32(1 << 26);
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
}
