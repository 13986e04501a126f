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
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LogUpZkTest {
    static final String MASKS = "zk/logup-test";

    static Transcript tr(String label) {
        return Transcript.create(Hash.SHA256, "logup-zk-test", label.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] seed(long s) {
        return java.nio.ByteBuffer.allocate(16).putLong(s).putLong(~s).array();
    }

    /** A lookup instance with everything the caller commits: columns, multiplicities, masks. */
    static final class Case {
        final Table table;
        final List<LookupColumn> cols;
        final long[] m;
        final long[] masks;

        Case(Table table, List<LookupColumn> cols, long[] m, long seed) {
            this.table = table;
            this.cols = cols;
            this.m = m;
            ZkMasks count = ZkMasks.slotsOnly(MASKS);
            LogUp.reserveZk(table, shapes(), count);
            this.masks = ZkMasks.generate(seed(seed), "logup", ZkMasks.tensorSize(count.used()));
        }

        Case(Table table, List<LookupColumn> cols, long seed) {
            this(table, cols, LogUp.multiplicities(table, cols), seed);
        }

        List<LookupColumn.Shape> shapes() {
            return LogUpTest.shapes(cols);
        }

        Map<String, long[]> tensors() {
            Map<String, long[]> t = new HashMap<>();
            for (LookupColumn c : cols) {
                t.put(c.xName(), c.x());
                if (c.y() != null) {
                    t.put(c.yName(), c.y());
                }
            }
            t.put(LogUp.multiplicityTensor(table), m);
            t.put(MASKS, masks);
            return t;
        }

        LogUp.ProvedZk prove(String label) {
            return LogUp.proveZk(table, cols, m, ZkMasks.of(MASKS, masks), tr(label));
        }

        LogUp.CheckedZk verify(LogUpZkProof proof, String label) {
            return LogUp.verifyZk(table, shapes(), proof, ZkMasks.slotsOnly(MASKS), tr(label));
        }

        /** Verifies and discharges every claim on the committed tensors, as the caller's opening would. */
        boolean fullyAccepted(LogUpZkProof proof, String label, Map<String, long[]> committed) {
            LogUp.CheckedZk c = verify(proof, label);
            return c.verdict().isAccepted() && c.claims().stream().allMatch(lc -> lc.holds(committed::get));
        }

        boolean fullyAccepted(LogUpZkProof proof, String label) {
            return fullyAccepted(proof, label, tensors());
        }
    }

    static byte[] bytes(LogUpZkProof p) {
        ByteSink s = new ByteSink();
        p.write(s);
        return s.toByteArray();
    }

    static LogUpZkProof fromBytes(byte[] b) throws MalformedInputException {
        ByteSource src = new ByteSource(b);
        LogUpZkProof p = LogUpZkProof.read(src);
        src.expectEnd("logup zk proof");
        return p;
    }

    /** Verifies from bytes; every claim of prover and verifier holds, and they are the same claims. */
    static void assertHonest(Case c, String label) throws MalformedInputException {
        LogUp.ProvedZk pr = c.prove(label);
        LogUpZkProof back = fromBytes(bytes(pr.proof()));
        LogUp.CheckedZk v = c.verify(back, label);
        assertTrue(v.verdict().isAccepted(), v.verdict().toString());
        Map<String, long[]> t = c.tensors();
        assertEquals(pr.claims().size(), v.claims().size());
        for (int i = 0; i < v.claims().size(); i++) {
            assertTrue(v.claims().get(i).holds(t::get), "verifier claim " + i + " on " + v.claims().get(i).tensors());
            assertTrue(pr.claims().get(i).holds(t::get), "prover claim " + i);
            assertEquals(pr.claims().get(i).value(), v.claims().get(i).value());
        }
        // every committed tensor is read by some claim; no column evaluation is revealed alone
        List<String> read = new ArrayList<>();
        v.claims().forEach(lc -> read.addAll(lc.tensors()));
        assertTrue(read.containsAll(t.keySet()), "claims read " + read);
        for (LinearClaim lc : v.claims()) {
            if (lc.tensors().stream().anyMatch(n -> !n.equals(MASKS))) {
                assertTrue(lc.tensors().contains(MASKS), "a claim on committed data is always masked: " + lc.tensors());
            }
        }
    }

    static long[] rangeValues(SplittableRandom r, int n, long lo, int k) {
        return LogUpTest.rangeValues(r, n, lo, k);
    }

    static Case rangeCase(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Table table = Table.range("r16", -8, 4);
        List<LookupColumn> cols = List.of(
                LookupColumn.of("a", rangeValues(r, 8, -8, 4)),
                LookupColumn.of("b", rangeValues(r, 4, -8, 4)),
                LookupColumn.of("c", rangeValues(r, 16, -8, 4)));
        return new Case(table, cols, seed);
    }

    static Case pairCase(long seed) {
        int n = 100;
        long[] xs = new long[n];
        long[] ys = new long[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i - 50;
            ys[i] = (i - 50) * (i - 50) / 3;
        }
        Table table = Table.function("sq", xs, ys);
        SplittableRandom r = new SplittableRandom(seed);
        List<LookupColumn> cols = new ArrayList<>();
        for (int[] spec : new int[][] {{32, 0}, {8, 1}}) {
            long[] x = new long[spec[0]];
            long[] y = new long[spec[0]];
            for (int i = 0; i < x.length; i++) {
                int j = r.nextInt(n);
                x[i] = Goldilocks.fromSigned(xs[j]);
                y[i] = Goldilocks.fromSigned(ys[j]);
            }
            cols.add(new LookupColumn("x" + spec[1], x, "y" + spec[1], y));
        }
        return new Case(table, cols, seed);
    }

    @Test
    void honestRangeLookupsAcrossColumnsOfDifferentSizes() throws Exception {
        assertHonest(rangeCase(1), "range");
    }

    @Test
    void honestFunctionTableOfPairs() throws Exception {
        assertHonest(pairCase(2), "pairs");
    }

    @Test
    void smallestTreesHaveNoLayerSumchecks() throws Exception {
        // two leaves on both sides: the roots sumcheck alone, the leaves are the top values
        Case c = new Case(Table.range("bit", 0, 1), List.of(LookupColumn.of("v", new long[] {1, 1})), 3);
        assertHonest(c, "tiny");
        LogUpZkProof p = c.prove("tiny").proof();
        assertEquals(0, p.witnessLayers.length);
        assertEquals(0, p.tableLayers.length);
    }

    @Test
    void reserveTakesExactlyTheSlotsTheProverTakes() {
        for (Case c : List.of(rangeCase(4), pairCase(4))) {
            ZkMasks count = ZkMasks.slotsOnly(MASKS);
            LogUp.reserveZk(c.table, c.shapes(), count);
            ZkMasks real = ZkMasks.of(MASKS, c.masks);
            LogUp.proveZk(c.table, c.cols, c.m, real, tr("reserve"));
            assertEquals(count.used(), real.used());
            ZkMasks ver = ZkMasks.slotsOnly(MASKS);
            LogUp.verifyZk(c.table, c.shapes(), c.prove("reserve").proof(), ver, tr("reserve"));
            assertEquals(count.used(), ver.used());
        }
    }

    @Test
    void valueOutsideTheTableIsRejectedWhateverTheMultiplicities() {
        SplittableRandom r = new SplittableRandom(5);
        Table table = Table.range("r16", 0, 4);
        for (int run = 0; run < 10; run++) {
            long[] x = rangeValues(r, 16, 0, 4);
            int pos = r.nextInt(16);
            x[pos] = 16 + r.nextInt(100); // just outside [0, 16)
            List<LookupColumn> cols = List.of(LookupColumn.of("x", x), LookupColumn.of("z", rangeValues(r, 4, 0, 4)));
            long[] honestRest = new long[16];
            for (LookupColumn c : cols) {
                for (int i = 0; i < c.x().length; i++) {
                    if (c.x() != x || i != pos) {
                        honestRest[(int) c.x()[i]]++;
                    }
                }
            }
            long[] charged = honestRest.clone();
            charged[15]++;
            long[] random = new long[16];
            for (int j = 0; j < 16; j++) {
                random[j] = r.nextInt(4);
            }
            for (long[] m : new long[][] {honestRest, charged, random}) {
                Case c = new Case(table, cols, m, run);
                LogUp.ProvedZk pr = c.prove("out" + run); // the prover still produces a proof
                assertFalse(c.fullyAccepted(pr.proof(), "out" + run), "run " + run);
                assertFalse(c.verify(pr.proof(), "out" + run).verdict().isAccepted(), "the roots sumcheck rejects");
            }
        }
    }

    /** Every way to change one revealed value of a ZkSumcheck proof. */
    static List<ZkSumcheck.Proof> tamperings(ZkSumcheck.Proof p) {
        Fp3 one = Fp3.ONE;
        List<ZkSumcheck.Proof> out = new ArrayList<>();
        out.add(p.withMaskSum(p.maskSum().add(one)));
        out.add(p.withMaskEval(p.maskEval().add(one)));
        out.add(p.withTargetMaskFinal(p.targetMaskFinal().add(one)));
        for (int i = 0; i < p.rounds().length; i++) {
            for (int j = 0; j < p.rounds()[i].length; j++) {
                out.add(p.withRound(i, j, p.rounds()[i][j].add(one)));
            }
        }
        for (int i = 0; i < p.finals().length; i++) {
            for (int j = 0; j < p.finals()[i].length; j++) {
                out.add(p.withFinal(i, j, p.finals()[i][j].add(one)));
            }
        }
        return out;
    }

    static List<LogUpZkProof> tamperings(LogUpZkProof p) {
        List<LogUpZkProof> out = new ArrayList<>();
        for (ZkSumcheck.Proof t : tamperings(p.roots)) {
            out.add(new LogUpZkProof(t, p.witnessLayers, p.tableLayers));
        }
        for (int side = 0; side < 2; side++) {
            ZkSumcheck.Proof[] layers = side == 0 ? p.witnessLayers : p.tableLayers;
            for (int k = 0; k < layers.length; k++) {
                for (ZkSumcheck.Proof t : tamperings(layers[k])) {
                    ZkSumcheck.Proof[] l = layers.clone();
                    l[k] = t;
                    out.add(side == 0 ? new LogUpZkProof(p.roots, l, p.tableLayers) : new LogUpZkProof(p.roots, p.witnessLayers, l));
                }
            }
        }
        return out;
    }

    @Test
    void everyTamperedValueIsCaught() {
        for (Case c : List.of(rangeCase(6), pairCase(6))) {
            LogUpZkProof proof = c.prove("tamper").proof();
            assertTrue(c.fullyAccepted(proof, "tamper"));
            List<LogUpZkProof> bad = tamperings(proof);
            assertEquals(proof.revealed().size(), bad.size(), "one tampering per revealed value");
            for (int i = 0; i < bad.size(); i++) {
                assertFalse(c.fullyAccepted(bad.get(i), "tamper"), "tampered value " + i);
            }
        }
    }

    @Test
    void flippedBitsAndTruncatedBytesAreRejectedWithoutThrowing() throws Exception {
        Case c = rangeCase(7);
        byte[] b = bytes(c.prove("bits").proof());
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            byte[] f = b.clone();
            f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
            try {
                assertFalse(c.fullyAccepted(fromBytes(f), "bits"), "trial " + trial);
            } catch (MalformedInputException e) {
                // rejected while reading
            }
        }
        for (int len = 0; len < b.length; len += 1 + len / 8) {
            byte[] t = java.util.Arrays.copyOf(b, len);
            assertThrows(MalformedInputException.class, () -> fromBytes(t), "prefix of " + len + " bytes");
        }
        // a well-formed proof of another statement (other column sizes) is rejected, not thrown on
        Case other = pairCase(7);
        LogUpZkProof wrong = other.prove("bits").proof();
        assertFalse(c.verify(wrong, "bits").verdict().isAccepted());
        assertFalse(c.verify(new LogUpZkProof(wrong.roots, wrong.witnessLayers, c.prove("bits").proof().tableLayers), "bits")
                .verdict().isAccepted());
        assertFalse(LogUp.verifyZk(c.table, List.of(), c.prove("bits").proof(), ZkMasks.slotsOnly(MASKS), tr("bits")).verdict()
                .isAccepted());
    }

    @Test
    void wrongMasksOrWrongCommittedTensorsFailTheClaims() {
        Case c = rangeCase(8);
        LogUpZkProof proof = c.prove("masks").proof();
        LogUp.CheckedZk v = c.verify(proof, "masks");
        assertTrue(v.verdict().isAccepted());
        ZkMasks count = ZkMasks.slotsOnly(MASKS);
        LogUp.reserveZk(c.table, c.shapes(), count);
        // changing any one mask slot the protocol used breaks some claim
        for (int slot = 0; slot < count.used(); slot++) {
            long[] other = c.masks.clone();
            other[slot] = Goldilocks.add(other[slot], 1);
            Map<String, long[]> t = c.tensors();
            t.put(MASKS, other);
            assertFalse(v.claims().stream().allMatch(lc -> lc.holds(t::get)), "mask slot " + slot);
        }
        // so do other multiplicities and another column (the proof is about the committed ones)
        Map<String, long[]> t = c.tensors();
        long[] m2 = c.m.clone();
        m2[0]++;
        m2[1]--;
        t.put(LogUp.multiplicityTensor(c.table), m2);
        assertFalse(v.claims().stream().allMatch(lc -> lc.holds(t::get)), "other multiplicities");
        Map<String, long[]> t2 = c.tensors();
        long[] a2 = c.cols.get(0).x().clone();
        a2[3] = Goldilocks.add(a2[3], 1);
        t2.put("a", a2);
        assertFalse(v.claims().stream().allMatch(lc -> lc.holds(t2::get)), "another column");
        // a prover proving a valid lookup of another column than the committed one
        List<LookupColumn> cheat = new ArrayList<>(c.cols);
        long[] a3 = c.cols.get(0).x().clone();
        a3[3] = a3[3] == Goldilocks.fromSigned(-8) ? Goldilocks.fromSigned(-7) : Goldilocks.fromSigned(-8);
        cheat.set(0, LookupColumn.of("a", a3));
        Case lying = new Case(c.table, cheat, 8);
        LogUpZkProof lie = lying.prove("masks").proof();
        assertTrue(lying.fullyAccepted(lie, "masks"), "the lookup holds for the other column");
        assertFalse(c.fullyAccepted(lie, "masks"), "but its claims are false for the committed one");
        // a prover using masks other than the committed ones
        long[] otherMasks = c.masks.clone();
        otherMasks[5] = Goldilocks.add(otherMasks[5], 1);
        LogUpZkProof offMasks = LogUp.proveZk(c.table, c.cols, c.m, ZkMasks.of(MASKS, otherMasks), tr("masks")).proof();
        assertFalse(c.fullyAccepted(offMasks, "masks"));
    }

    // ---- zero knowledge, statistically -----------------------------------------------------------

    /** Fraction of values whose base coordinate lies in the upper half of the field. */
    static double upperHalf(List<Fp3> values) {
        long up = values.stream().filter(v -> Long.compareUnsigned(v.c0, Goldilocks.P >>> 1) > 0).count();
        return (double) up / values.size();
    }

    /** Per position of the revealed list, the upper-half frequency over the proofs. */
    static double[] perPosition(List<List<Fp3>> proofs) {
        int n = proofs.get(0).size();
        double[] f = new double[n];
        for (List<Fp3> p : proofs) {
            assertEquals(n, p.size());
            for (int i = 0; i < n; i++) {
                f[i] += Long.compareUnsigned(p.get(i).c0, Goldilocks.P >>> 1) > 0 ? 1 : 0;
            }
        }
        for (int i = 0; i < n; i++) {
            f[i] /= proofs.size();
        }
        return f;
    }

    static List<Integer> constantPositions(List<List<Fp3>> proofs) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < proofs.get(0).size(); i++) {
            final int pos = i;
            Fp3 v = proofs.get(0).get(i);
            if (proofs.stream().allMatch(p -> p.get(pos).equals(v))) {
                out.add(i);
            }
        }
        return out;
    }

    static List<List<Fp3>> dropPositions(List<List<Fp3>> proofs, List<Integer> drop) {
        List<List<Fp3>> out = new ArrayList<>();
        for (List<Fp3> p : proofs) {
            List<Fp3> q = new ArrayList<>();
            for (int i = 0; i < p.size(); i++) {
                if (!drop.contains(i)) {
                    q.add(p.get(i));
                }
            }
            out.add(q);
        }
        return out;
    }

    static double maxGap(double[] a, double[] b) {
        double g = 0;
        for (int i = 0; i < a.length; i++) {
            g = Math.max(g, Math.abs(a[i] - b[i]));
        }
        return g;
    }

    static double maxOffHalf(double[] a) {
        double g = 0;
        for (double v : a) {
            g = Math.max(g, Math.abs(v - 0.5));
        }
        return g;
    }

    static final Table STAT_TABLE = Table.range("r16", 0, 4);

    /** Two witnesses of one statement (same table, same column shapes): constant columns, random columns. */
    static List<LookupColumn> statColumns(boolean constant, SplittableRandom r) {
        long[] a = new long[16];
        long[] b = new long[4];
        for (int i = 0; i < a.length; i++) {
            a[i] = constant ? 3 : r.nextInt(16);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = constant ? 3 : r.nextInt(16);
        }
        return List.of(LookupColumn.of("a", a), LookupColumn.of("b", b));
    }

    static final int PROOFS = 200;

    static List<List<Fp3>> zkRevealed(boolean constant) {
        SplittableRandom r = new SplittableRandom(9);
        List<List<Fp3>> out = new ArrayList<>();
        for (int k = 0; k < PROOFS; k++) {
            Case c = new Case(STAT_TABLE, statColumns(constant, r), 1000 + k);
            out.add(c.prove("stat" + k).proof().revealed());
        }
        return out;
    }

    /** What the plain proof reveals: roots, top layers, layer sumchecks, column evaluations. */
    static List<Fp3> plainRevealed(LogUpProof p) {
        List<Fp3> out = new ArrayList<>();
        for (FractionalSumProof f : new FractionalSumProof[] {p.witness, p.table}) {
            out.add(f.rootP);
            out.add(f.rootQ);
            out.addAll(List.of(f.top));
            for (dev.zkspark.sumcheck.SumcheckProof s : f.layers) {
                for (int i = 0; i < s.numRounds(); i++) {
                    out.addAll(List.of(s.round(i)));
                }
                for (int i = 0; i < s.numInstances(); i++) {
                    out.addAll(List.of(s.finalEvals(i)));
                }
            }
        }
        out.addAll(List.of(p.xEvals));
        out.addAll(List.of(p.yEvals));
        return out;
    }

    static List<List<Fp3>> plainRevealed(boolean constant) {
        SplittableRandom r = new SplittableRandom(9);
        List<List<Fp3>> out = new ArrayList<>();
        for (int k = 0; k < PROOFS; k++) {
            List<LookupColumn> cols = statColumns(constant, r);
            out.add(plainRevealed(LogUp.prove(STAT_TABLE, cols, LogUp.multiplicities(STAT_TABLE, cols), tr("stat" + k)).proof()));
        }
        return out;
    }

    /**
     * The zero-knowledge proof's revealed values are uniform position by position and do not depend
     * on the witness: a constant column and a random column of the same shape give the same
     * frequencies (200 proofs each: a per-position frequency has standard deviation 0.035, so 0.25
     * is over 5 deviations for a difference). The plain proof fails the same test: a constant
     * column's evaluation at any point is the constant, a small base-field element.
     */
    @Test
    void revealedValuesAreUniformAndDoNotDependOnTheWitness() {
        List<List<Fp3>> a = zkRevealed(true);
        List<List<Fp3>> b = zkRevealed(false);
        // the protocol's constants (the roots sumcheck's target mask final: its target 0 has no
        // mask) are the same in every proof of either witness; everything else must look uniform
        List<Integer> constants = constantPositions(a);
        assertEquals(List.of(14), constants, "only the roots' target mask final is fixed");
        assertEquals(constants, constantPositions(b));
        for (int i : constants) {
            assertEquals(a.get(0).get(i), b.get(0).get(i));
        }
        a = dropPositions(a, constants);
        b = dropPositions(b, constants);
        List<Fp3> allA = new ArrayList<>();
        a.forEach(allA::addAll);
        List<Fp3> allB = new ArrayList<>();
        b.forEach(allB::addAll);
        assertEquals(0.5, upperHalf(allA), 0.01, "constant columns");
        assertEquals(0.5, upperHalf(allB), 0.01, "random columns");
        double[] fa = perPosition(a);
        double[] fb = perPosition(b);
        assertTrue(maxOffHalf(fa) < 0.25, "every position uniform (constant columns): " + maxOffHalf(fa));
        assertTrue(maxOffHalf(fb) < 0.25, "every position uniform (random columns): " + maxOffHalf(fb));
        assertTrue(maxGap(fa, fb) < 0.25, "witnesses indistinguishable position by position: " + maxGap(fa, fb));

        // negative twin: the same test on the plain proof tells the witnesses apart
        double[] pa = perPosition(plainRevealed(true));
        double[] pb = perPosition(plainRevealed(false));
        System.out.printf("zero knowledge, %d proofs per witness: zk upper half %.4f / %.4f, max off 1/2 %.3f / %.3f, max gap %.3f;"
                + " plain max gap %.3f%n", PROOFS, upperHalf(allA), upperHalf(allB), maxOffHalf(fa), maxOffHalf(fb), maxGap(fa, fb),
                maxGap(pa, pb));
        assertTrue(maxGap(pa, pb) > 0.4, "the plain proof leaks: " + maxGap(pa, pb));
        int xEval = pa.length - 2; // xEvals of column a
        assertEquals(0.0, pa[xEval], 1e-9, "a constant column's evaluation is the constant 3");
        assertEquals(0.5, pb[xEval], 0.15);
    }

    /** Prove time and proof size, ZK against plain, for 2^16 lookups into a 2^16 range table. */
    @Test
    void reportSizeAndTimeAt2To16Lookups() {
        int lookups = 1 << 16;
        int tableBits = 16;
        SplittableRandom r = new SplittableRandom(10);
        Table table = Table.range("r", 0, tableBits);
        long[] v = new long[lookups];
        for (int i = 0; i < lookups; i++) {
            v[i] = r.nextInt(1 << tableBits);
        }
        Case c = new Case(table, List.of(LookupColumn.of("v", v)), 10);
        long[] plainBest = {Long.MAX_VALUE};
        long[] zkBest = {Long.MAX_VALUE};
        int[] sizes = new int[2];
        for (int rep = 0; rep < 4; rep++) {
            long t0 = System.nanoTime();
            LogUpProof plain = LogUp.prove(table, c.cols, c.m, tr("size")).proof();
            long t1 = System.nanoTime();
            LogUpZkProof zk = c.prove("size").proof();
            long t2 = System.nanoTime();
            if (rep > 0) { // the first run warms up the JIT
                plainBest[0] = Math.min(plainBest[0], t1 - t0);
                zkBest[0] = Math.min(zkBest[0], t2 - t1);
            }
            sizes[0] = plain.byteSize();
            sizes[1] = zk.byteSize();
        }
        ZkMasks count = ZkMasks.slotsOnly(MASKS);
        LogUp.reserveZk(table, c.shapes(), count);
        System.out.printf("logUp 2^16 lookups into 2^%d: plain %d bytes %.1f ms; zk %d bytes %.1f ms; %d mask slots%n", tableBits,
                sizes[0], plainBest[0] / 1e6, sizes[1], zkBest[0] / 1e6, count.used());
        assertTrue(c.fullyAccepted(c.prove("size").proof(), "size"));
    }
}
