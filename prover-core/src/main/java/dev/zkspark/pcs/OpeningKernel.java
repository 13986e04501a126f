package dev.zkspark.pcs;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The batching sumcheck's kernel W_k over one commitment's polynomial (see {@link ZkBatchOpening}):
 * sum over claims c of alpha^c times the claim's terms on this commitment, kept as its terms (a
 * few points and slots) rather than as the 2^n_k-entry table, so whoever holds a band of the
 * polynomial builds exactly its slice of W_k ({@link #slice}) and nobody builds the whole table.
 * Field addition is exact, so the slices are the whole table's entries, bit for bit.
 */
public final class OpeningKernel implements Serializable {
    private static final long serialVersionUID = 1L;

    /** scale * eq(point, x - offset) on the region [offset, offset + 2^|point|). */
    private record EvalAt(long offset, Point point, Fp3 scale) implements Serializable {}

    /** weight added at entry offset + slot. */
    private record SlotAt(long index, Fp3 weight) implements Serializable {}

    private final List<EvalAt> evals;
    private final List<SlotAt> slots;

    private OpeningKernel(List<EvalAt> evals, List<SlotAt> slots) {
        this.evals = evals;
        this.slots = slots;
    }

    /** Commitment k's kernel from resolved claims ({@link ZkBatchOpening#resolve}) and the batching challenge. */
    static OpeningKernel of(List<LinearClaim> claims, List<ZkBatchOpening.Located[]> loc, Fp3 alpha, int k) {
        List<EvalAt> evals = new ArrayList<>();
        List<SlotAt> slots = new ArrayList<>();
        Fp3 coef = Fp3.ONE;
        for (int c = 0; c < claims.size(); c++) {
            List<LinearClaim.Term> terms = claims.get(c).terms();
            for (int i = 0; i < terms.size(); i++) {
                ZkBatchOpening.Located l = loc.get(c)[i];
                if (l.commitment() != k) {
                    continue;
                }
                long off = l.region().offset();
                if (terms.get(i) instanceof LinearClaim.Eval e) {
                    evals.add(new EvalAt(off, e.point(), coef.mul(e.coeff())));
                } else {
                    LinearClaim.Slots s = (LinearClaim.Slots) terms.get(i);
                    for (int x = 0; x < s.slots().length; x++) {
                        slots.add(new SlotAt(off + s.slots()[x], coef.mul(s.weights()[x])));
                    }
                }
            }
            coef = coef.mul(alpha);
        }
        return new OpeningKernel(evals, slots);
    }

    /** Every commitment's kernel. */
    static OpeningKernel[] ofAll(List<LinearClaim> claims, List<ZkBatchOpening.Located[]> loc, Fp3 alpha, int commitments) {
        OpeningKernel[] out = new OpeningKernel[commitments];
        for (int k = 0; k < commitments; k++) {
            out[k] = of(claims, loc, alpha, k);
        }
        return out;
    }

    /**
     * Entries [lo, lo + len) of W_k, interleaved F_p^3, where lo is a multiple of 2^vars and
     * len at most 2^vars (the slice of an aligned block of 2^vars entries that holds data). Regions
     * are aligned to their size, so each region either lies inside the block or contains it; in the
     * second case eq(r, x) = eq(r_low, x_low) * prod_{i >= vars} eq(r_i, bit i of x). A long slice
     * is built in aligned sub-blocks of 2^{@link #BLOCK_VARS} entries over the threads (each
     * region's eq table is then built block by block, the same total work); field addition is
     * exact, so the entries do not depend on the split.
     */
    public long[] slice(long lo, int vars, int len) {
        if (lo % (1L << vars) != 0 || len < 0 || len > (1L << vars)) {
            throw new IllegalArgumentException("kernel slice [" + lo + ", +" + len + ") of an aligned block of 2^" + vars);
        }
        for (EvalAt e : evals) {
            int m = e.point().size();
            if (e.offset() + (1L << m) <= lo || e.offset() >= lo + (1L << vars)) {
                continue;
            }
            long end = m <= vars ? e.offset() - lo + (1L << m) : 1L << vars;
            if (end > len) {
                throw new IllegalArgumentException("a claimed region reaches past the committed entries");
            }
        }
        long[] g = new long[3 * len];
        int bv = Math.min(vars, BLOCK_VARS);
        int blocks = (int) ((len + (1L << bv) - 1) >>> bv);
        Parallel.forRange(blocks, 1, (from, to) -> {
            for (int b = from; b < to; b++) {
                long at = (long) b << bv;
                addBlock(lo + at, bv, (int) Math.min(1L << bv, len - at), g, 3 * (int) at);
            }
        });
        for (SlotAt s : slots) {
            if (s.index() >= lo && s.index() < lo + len) {
                int o = 3 * (int) (s.index() - lo);
                g[o] = Goldilocks.add(g[o], s.weight().c0);
                g[o + 1] = Goldilocks.add(g[o + 1], s.weight().c1);
                g[o + 2] = Goldilocks.add(g[o + 2], s.weight().c2);
            }
        }
        return g;
    }

    /** Sub-blocks of a slice built by one task: 2^16 entries (1.5 MB of F_p^3). */
    static final int BLOCK_VARS = 16;

    /**
     * Adds the eval terms' entries [lo, lo + len) (lo a multiple of 2^vars, len at most 2^vars,
     * no region reaching past it: checked by {@link #slice}) into g from index {@code base}.
     */
    private void addBlock(long lo, int vars, int len, long[] g, int base) {
        for (EvalAt e : evals) {
            int m = e.point().size();
            long size = 1L << m;
            if (e.offset() + size <= lo || e.offset() >= lo + len) {
                continue;
            }
            long[] eq;
            int at;
            if (m <= vars) {
                eq = Mle.eqTableScaled(e.point(), e.scale());
                at = (int) (e.offset() - lo);
            } else {
                long rel = lo - e.offset();
                Fp3 scale = e.scale();
                for (int i = vars; i < m; i++) {
                    Fp3 ri = e.point().get(i);
                    scale = scale.mul(((rel >>> i) & 1) == 1 ? ri : Fp3.ONE.sub(ri));
                }
                eq = Mle.eqTableScaled(e.point().slice(0, vars), scale);
                at = 0;
            }
            int o = base + 3 * at;
            for (int x = 0; x < eq.length; x++) {
                g[o + x] = Goldilocks.add(g[o + x], eq[x]);
            }
        }
    }

    /**
     * sum_x p[x] w[x], p over the base field, w interleaved over F_p^3 (entries of p past w's are
     * ignored); ranges summed over the threads (exact, so the same for any split).
     */
    public static Fp3 dot(long[] p, long[] w) {
        int n = Math.min(p.length, w.length / 3);
        Fp3 sum = Fp3.ZERO;
        for (Fp3 part : Parallel.mapRanges(n, Fp3[]::new, (from, to) -> dot(p, w, from, to))) {
            sum = sum.add(part);
        }
        return sum;
    }

    private static Fp3 dot(long[] p, long[] w, int from, int to) {
        long a0 = 0, a1 = 0, a2 = 0;
        for (int x = from; x < to; x++) {
            long v = p[x];
            if (v == 0) {
                continue;
            }
            a0 = Goldilocks.add(a0, Goldilocks.mul(v, w[3 * x]));
            a1 = Goldilocks.add(a1, Goldilocks.mul(v, w[3 * x + 1]));
            a2 = Goldilocks.add(a2, Goldilocks.mul(v, w[3 * x + 2]));
        }
        return new Fp3(a0, a1, a2);
    }
}
