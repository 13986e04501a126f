package dev.zkspark.circuit;

import dev.zkspark.circuit.TensorSpec.Axis;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What prover and verifier of a {@link Relation} compute alike: the random point, the sumcheck
 * expression and its tables, and points of tensors assembled from relation coordinates.
 */
final class RelationLayout {
    /** Table kinds of the sumcheck instance. */
    enum Kind { EQ, ONES, FACTOR }

    final Relation rel;
    final Map<String, Fp3[]> u = new HashMap<>();
    final List<Kind> kinds = new ArrayList<>();
    final List<Relation.Factor> factors = new ArrayList<>();
    final Expression expression;

    /** Draws the relation's random point over its free axes. */
    RelationLayout(Relation rel, Transcript t) {
        this(rel, drawPoint(rel, t));
    }

    /** The layout at a given point u (by free axis). */
    RelationLayout(Relation rel, Map<String, Fp3[]> point) {
        this.rel = rel;
        u.putAll(point);
        Map<Relation.Factor, Integer> index = new IdentityHashMap<>();
        int eqIndex = -1, onesIndex = -1;
        if (!rel.eqAxes().isEmpty()) {
            eqIndex = kinds.size();
            kinds.add(Kind.EQ);
            factors.add(null);
        }
        List<int[]> termIdx = new ArrayList<>();
        for (Relation.Term term : rel.rhs()) {
            List<Integer> idx = new ArrayList<>();
            if (eqIndex >= 0) {
                idx.add(eqIndex);
            }
            for (Relation.Factor f : term.factors()) {
                Integer j = index.get(f);
                if (j == null) {
                    j = kinds.size();
                    kinds.add(Kind.FACTOR);
                    factors.add(f);
                    index.put(f, j);
                }
                idx.add(j);
            }
            if (idx.isEmpty()) {
                if (onesIndex < 0) {
                    onesIndex = kinds.size();
                    kinds.add(Kind.ONES);
                    factors.add(null);
                }
                idx.add(onesIndex);
            }
            termIdx.add(idx.stream().mapToInt(Integer::intValue).toArray());
        }
        Expression.Builder b = Expression.builder(kinds.size());
        for (int i = 0; i < termIdx.size(); i++) {
            b.term(Fp3.ofSigned(rel.rhs().get(i).coeff()), termIdx.get(i));
        }
        this.expression = b.build();
    }

    private static Map<String, Fp3[]> drawPoint(Relation rel, Transcript t) {
        int free = 0;
        for (Axis a : rel.freeAxes()) {
            free += a.bits();
        }
        Fp3[] all = free == 0 ? new Fp3[0] : t.challengesExt("relation/" + rel.name() + "/u", free);
        Map<String, Fp3[]> u = new HashMap<>();
        int off = 0;
        for (Axis a : rel.freeAxes()) {
            Fp3[] c = new Fp3[a.bits()];
            System.arraycopy(all, off, c, 0, a.bits());
            u.put(a.name(), c);
            off += a.bits();
        }
        return u;
    }

    /** The same point with every coordinate zero (shapes only: counting mask slots). */
    static Map<String, Fp3[]> zeroPoint(Relation rel) {
        Map<String, Fp3[]> u = new HashMap<>();
        for (Axis a : rel.freeAxes()) {
            Fp3[] c = new Fp3[a.bits()];
            java.util.Arrays.fill(c, Fp3.ZERO);
            u.put(a.name(), c);
        }
        return u;
    }

    /**
     * The left-hand side as a sumcheck of its own (zero knowledge: its values are never revealed):
     * sum_z eq(u, z) sum_k a_k V_k(z) over the free axes, all read as eq axes at the same u.
     */
    RelationLayout lhsLayout() {
        Relation.Builder b = Relation.builder(rel.name() + "/lhs").eq(rel.freeAxes().toArray(new Axis[0]));
        for (Relation.Lhs l : rel.lhs()) {
            b.term(l.coeff(), l.view());
        }
        return new RelationLayout(b.build(), u);
    }

    /** The point of u over the eq axes, in domain order (the eq table's variables). */
    Point eqPoint() {
        List<Fp3> c = new ArrayList<>();
        for (Axis a : rel.eqAxes()) {
            c.addAll(List.of(u.get(a.name())));
        }
        return new Point(c.toArray(new Fp3[0]));
    }

    /** Coordinates of the sumcheck's final point per domain axis, together with u. */
    Map<String, Fp3[]> finalCoords(Point rho) {
        Map<String, Fp3[]> c = new HashMap<>(u);
        int off = 0;
        for (Axis a : rel.domainAxes()) {
            Fp3[] x = new Fp3[a.bits()];
            for (int b = 0; b < a.bits(); b++) {
                x[b] = rho.get(off + b);
            }
            c.put(a.name(), x);
            off += a.bits();
        }
        return c;
    }

    /** The tensor's own point (little-endian: its innermost axis first) read from the coordinates. */
    static Point tensorPoint(Relation.Factor f, Map<String, Fp3[]> coords) {
        TensorSpec s = f.spec();
        Fp3[] p = new Fp3[s.numVars()];
        for (int k = 0; k < s.axes().size(); k++) {
            Fp3[] c = coords.get(f.map()[k]);
            System.arraycopy(c, 0, p, s.offset(k), s.axes().get(k).bits());
        }
        int flip = flipBit(f);
        if (flip >= 0) {
            p[flip] = Fp3.ONE.sub(p[flip]);
        }
        return new Point(p);
    }

    /** The tensor variable read reversed, or -1. */
    static int flipBit(Relation.Factor f) {
        if (f instanceof Relation.Committed c && c.flipAxis() != null) {
            return c.spec().offset(c.spec().indexOf(c.flipAxis()));
        }
        return -1;
    }

    /**
     * The factor's table over the sumcheck domain: its values read along the domain axes (broadcast
     * where it lacks one), with its fold axes already bound to u (then an extension table).
     */
    /** Variables of this layout's sumcheck instance (its domain). */
    int numVars() {
        return rel.domainVars();
    }

    Mle materialize(Relation.Factor f, long[] values) {
        return materialize(f, values, 0, 1 << rel.domainVars());
    }

    /** Entries [lo, hi) of {@link #materialize(Relation.Factor, long[])}: a worker's chunk, built without the rest. */
    Mle materialize(Relation.Factor f, long[] values, int lo, int hi) {
        TensorSpec s = f.spec();
        List<Axis> domain = rel.domainAxes();
        Map<String, Integer> domOff = new HashMap<>();
        int nD = 0;
        for (Axis a : domain) {
            domOff.put(a.name(), nD);
            nD += a.bits();
        }
        int[] srcBit = new int[nD];
        java.util.Arrays.fill(srcBit, -1);
        List<Integer> foldSrc = new ArrayList<>();
        List<Fp3> foldCoord = new ArrayList<>();
        int flip = flipBit(f);
        int flipMask = 0;
        for (int k = 0; k < s.axes().size(); k++) {
            String m = f.map()[k];
            int bits = s.axes().get(k).bits();
            Integer d = domOff.get(m);
            for (int b = 0; b < bits; b++) {
                int bit = s.offset(k) + b;
                if (d != null) {
                    srcBit[d + b] = bit;
                    if (bit == flip) {
                        flipMask = 1 << bit;
                    }
                } else {
                    foldSrc.add(bit);
                    foldCoord.add(bit == flip ? Fp3.ONE.sub(u.get(m)[b]) : u.get(m)[b]);
                }
            }
        }
        checkRange(lo, hi, nD);
        int size = hi - lo;
        int[] src = new int[size];
        for (int o = 0; o < size; o++) {
            int x = 0;
            int at = lo + o;
            for (int b = 0; b < nD; b++) {
                if (((at >>> b) & 1) != 0 && srcBit[b] >= 0) {
                    x |= 1 << srcBit[b];
                }
            }
            src[o] = x ^ flipMask;
        }
        if (foldSrc.isEmpty()) {
            long[] out = new long[size];
            for (int o = 0; o < size; o++) {
                out[o] = values[src[o]];
            }
            return Mle.base(out);
        }
        long[] eqF = Mle.eqTableScaled(new Point(foldCoord.toArray(new Fp3[0])), Fp3.ONE);
        int nf = foldSrc.size();
        if (nf >= 30) {
            throw new IllegalArgumentException("a factor folds " + nf + " bits; at most 29 are supported");
        }
        int[] fsrc = new int[1 << nf];
        for (int fi = 0; fi < fsrc.length; fi++) {
            int x = 0;
            for (int b = 0; b < nf; b++) {
                if (((fi >>> b) & 1) != 0) {
                    x |= 1 << foldSrc.get(b);
                }
            }
            fsrc[fi] = x;
        }
        long[] out = new long[3 * size];
        dev.zkspark.core.Parallel.forRange(size, (from, to) -> {
            for (int o = from; o < to; o++) {
                // delayed reduction: each coordinate's products are summed as 32-bit pieces (fewer
                // than 2^30 products, checked above), reduced once per coordinate
                long a0 = 0, b0 = 0, c0 = 0, d0 = 0, a1 = 0, b1 = 0, c1 = 0, d1 = 0, a2 = 0, b2 = 0, c2 = 0, d2 = 0;
                int base = src[o];
                for (int fi = 0; fi < fsrc.length; fi++) {
                    long v = values[base | fsrc[fi]];
                    if (v != 0) {
                        long e = eqF[3 * fi];
                        long pl = v * e;
                        long ph = Goldilocks.mulHigh(v, e);
                        a0 += pl & LOW32;
                        b0 += pl >>> 32;
                        c0 += ph & LOW32;
                        d0 += ph >>> 32;
                        e = eqF[3 * fi + 1];
                        pl = v * e;
                        ph = Goldilocks.mulHigh(v, e);
                        a1 += pl & LOW32;
                        b1 += pl >>> 32;
                        c1 += ph & LOW32;
                        d1 += ph >>> 32;
                        e = eqF[3 * fi + 2];
                        pl = v * e;
                        ph = Goldilocks.mulHigh(v, e);
                        a2 += pl & LOW32;
                        b2 += pl >>> 32;
                        c2 += ph & LOW32;
                        d2 += ph >>> 32;
                    }
                }
                out[3 * o] = Goldilocks.fromPieces(a0, b0, c0, d0);
                out[3 * o + 1] = Goldilocks.fromPieces(a1, b1, c1, d1);
                out[3 * o + 2] = Goldilocks.fromPieces(a2, b2, c2, d2);
            }
        });
        return Mle.ext(out);
    }

    private static final long LOW32 = 0xFFFF_FFFFL;

    /** eq(u_eq, .) over the eq variables, broadcast over the summed (low) variables. */
    Mle eqTable() {
        return eqTable(0, 1 << rel.domainVars());
    }

    /** Entries [lo, hi) of {@link #eqTable()}. */
    Mle eqTable(int lo, int hi) {
        checkRange(lo, hi, rel.domainVars());
        int sumVars = 0;
        for (Axis a : rel.sumAxes()) {
            sumVars += a.bits();
        }
        long[] eq = Mle.eqTableScaled(eqPoint(), Fp3.ONE);
        int size = hi - lo;
        long[] out = new long[3 * size];
        for (int o = 0; o < size; o++) {
            int e = (lo + o) >>> sumVars;
            out[3 * o] = eq[3 * e];
            out[3 * o + 1] = eq[3 * e + 1];
            out[3 * o + 2] = eq[3 * e + 2];
        }
        return Mle.ext(out);
    }

    Mle onesTable() {
        return onesTable(0, 1 << rel.domainVars());
    }

    /** Entries [lo, hi) of {@link #onesTable()}. */
    Mle onesTable(int lo, int hi) {
        checkRange(lo, hi, rel.domainVars());
        long[] out = new long[hi - lo];
        java.util.Arrays.fill(out, 1);
        return Mle.base(out);
    }

    /** A chunk of a table over 2^vars entries: a non-empty power-of-two range aligned to its size. */
    private static void checkRange(int lo, int hi, int vars) {
        int size = hi - lo;
        if (lo < 0 || hi > 1 << vars || size <= 0 || Integer.bitCount(size) != 1 || lo % size != 0) {
            throw new IllegalArgumentException("entries [" + lo + ", " + hi + ") are not a chunk of 2^" + vars);
        }
    }
}
