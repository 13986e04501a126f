package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Mle;
import java.io.Serializable;

/**
 * The prover's tables of a batch of instances, restricted to one contiguous chunk of the hypercube:
 * chunk c of P = 2^k holds entries [c 2^(n_i - k), (c+1) 2^(n_i - k)) of every table of instance i,
 * i.e. the high k variables are fixed to c. Because variables are bound low-first (DESIGN §3), the
 * first n_i - k rounds of instance i only combine entries inside a chunk: a chunk computes its
 * partial round values and folds itself without seeing any other chunk, and the partial values of
 * all chunks add up to the full round values exactly (DESIGN §6 distributed sumcheck).
 *
 * <p>Immutable: {@link #fold} returns a new chunk, so a recomputed Spark partition reproduces the
 * same values (lineage-based retry is safe). Serializable so it can live in an RDD.
 */
public final class SumcheckChunk implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Expression[] expressions;
    private final long[][][] tables;
    private final boolean[][] ext;
    private final int[] vars; // remaining variables of each instance inside this chunk
    // entries of each instance's tables that may be nonzero: a prefix, the rest zero (folds keep it a prefix)
    private final int[] live;

    private SumcheckChunk(Expression[] expressions, long[][][] tables, boolean[][] ext, int[] vars) {
        this(expressions, tables, ext, vars, full(vars));
    }

    private SumcheckChunk(Expression[] expressions, long[][][] tables, boolean[][] ext, int[] vars, int[] live) {
        this.expressions = expressions;
        this.tables = tables;
        this.ext = ext;
        this.vars = vars;
        this.live = live;
    }

    private static int[] full(int[] vars) {
        int[] l = new int[vars.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = 1 << vars[i];
        }
        return l;
    }

    /**
     * One chunk of instances whose tables are nonzero only on a prefix: instance i has vars[i]
     * variables, and its tables hold entries [0, live[i]) (at least an even count, rounded up),
     * every later entry being zero. Rounds and folds then touch only the prefix: a committed
     * polynomial that fills 0.6 of its power of two costs 0.6 of the work. Sound for any
     * expression that is zero when all its inputs are (expressions are sums of products, no
     * constant term), so that the skipped all-zero pairs add nothing at any X.
     */
    public static SumcheckChunk ofPrefixes(Expression[] expressions, long[][][] tables, boolean[][] ext, int[] vars, int[] live) {
        int m = expressions.length;
        for (int i = 0; i < m; i++) {
            if (vars[i] < 0 || vars[i] > 30 || live[i] < 1 || live[i] > (1 << vars[i]) || tables[i].length != expressions[i].arity()) {
                throw new IllegalArgumentException("instance " + i + ": " + live[i] + " live entries of 2^" + vars[i]);
            }
            long need = Math.min(1L << vars[i], live[i] + (live[i] & 1));
            for (int j = 0; j < tables[i].length; j++) {
                if (tables[i][j].length < (ext[i][j] ? 3 : 1) * need) {
                    throw new IllegalArgumentException("instance " + i + " table " + j + " is shorter than its live entries");
                }
            }
        }
        return new SumcheckChunk(expressions.clone(), tables.clone(), ext.clone(), vars.clone(), live.clone());
    }

    /** The whole batch as a single chunk (k = 0). */
    public static SumcheckChunk whole(java.util.List<SumcheckInstance> instances) {
        return of(instances, 0, 1);
    }

    /**
     * Chunk {@code index} of {@code count} (a power of two) of the given instances; each instance
     * needs at least log2(count) variables. Copies the chunk's entries.
     */
    public static SumcheckChunk of(java.util.List<SumcheckInstance> instances, int index, int count) {
        int k = Mle.log2Exact(count);
        int m = instances.size();
        Expression[] ex = new Expression[m];
        long[][][] ts = new long[m][][];
        boolean[][] e = new boolean[m][];
        int[] v = new int[m];
        for (int i = 0; i < m; i++) {
            SumcheckInstance in = instances.get(i);
            if (in.numVars() < k) {
                throw new IllegalArgumentException("instance " + i + " has " + in.numVars() + " variables, fewer than log2(" + count + ")");
            }
            ex[i] = in.expression();
            v[i] = in.numVars() - k;
            int len = 1 << v[i];
            ts[i] = new long[in.arity()][];
            e[i] = new boolean[in.arity()];
            for (int j = 0; j < in.arity(); j++) {
                Mle t = in.table(j);
                e[i][j] = t.isExt();
                int w = t.isExt() ? 3 : 1;
                if (count == 1) {
                    ts[i][j] = t.data();
                } else {
                    ts[i][j] = java.util.Arrays.copyOfRange(t.data(), w * index * len, w * (index + 1) * len);
                }
            }
        }
        return new SumcheckChunk(ex, ts, e, v);
    }

    /**
     * Chunk c of {@code count} from tables already restricted to it: {@code slices.get(i)} holds
     * entries [c 2^(n_i - k), (c + 1) 2^(n_i - k)) of every table of instance i (as {@link #of}
     * copies them), so a worker builds only its share.
     */
    public static SumcheckChunk ofSlices(java.util.List<Expression> expressions, java.util.List<java.util.List<Mle>> slices, int count) {
        Mle.log2Exact(count);
        int m = expressions.size();
        if (slices.size() != m) {
            throw new IllegalArgumentException(slices.size() + " slices for " + m + " instances");
        }
        Expression[] ex = expressions.toArray(new Expression[0]);
        long[][][] ts = new long[m][][];
        boolean[][] e = new boolean[m][];
        int[] v = new int[m];
        for (int i = 0; i < m; i++) {
            java.util.List<Mle> tabs = slices.get(i);
            if (tabs.size() != ex[i].arity()) {
                throw new IllegalArgumentException("instance " + i + ": " + tabs.size() + " tables for arity " + ex[i].arity());
            }
            v[i] = tabs.get(0).numVars();
            ts[i] = new long[tabs.size()][];
            e[i] = new boolean[tabs.size()];
            for (int j = 0; j < tabs.size(); j++) {
                if (tabs.get(j).numVars() != v[i]) {
                    throw new IllegalArgumentException("instance " + i + ": slices of different sizes");
                }
                ts[i][j] = tabs.get(j).data();
                e[i][j] = tabs.get(j).isExt();
            }
        }
        return new SumcheckChunk(ex, ts, e, v);
    }

    public int numInstances() {
        return expressions.length;
    }

    /** Variables of instance i not yet bound inside this chunk. */
    public int remainingVars(int i) {
        return vars[i];
    }

    /**
     * Partial round values of instance i at X = 0..deg (index 1 unused) over this chunk's pairs.
     */
    public Fp3[] roundValues(int i, int deg) {
        if (vars[i] == 0) {
            throw new IllegalStateException("instance " + i + " has no variable left in this chunk");
        }
        return RoundKernel.evaluate(expressions[i], tables[i], ext[i], livePairs(i), deg);
    }

    /** Round values of several instances (null for the ones not listed in {@code active}). */
    public Fp3[][] roundValues(boolean[] active, int deg) {
        Fp3[][] out = new Fp3[expressions.length][];
        for (int i = 0; i < out.length; i++) {
            if (active[i]) {
                out[i] = roundValues(i, deg);
            }
        }
        return out;
    }

    /**
     * Each instance's sum of its expression over this chunk's entries; the chunks' sums add up to
     * the instance's sum over the whole hypercube.
     */
    public Fp3[] sums() {
        Fp3[] out = new Fp3[expressions.length];
        for (int i = 0; i < out.length; i++) {
            Fp3 sum = Fp3.ZERO;
            Fp3[] vals = new Fp3[tables[i].length];
            for (int x = 0; x < live[i]; x++) {
                for (int j = 0; j < vals.length; j++) {
                    vals[j] = ext[i][j] ? Fp3.get(tables[i][j], x) : Fp3.of(tables[i][j][x]);
                }
                sum = sum.add(expressions[i].evaluate(vals));
            }
            out[i] = sum;
        }
        return out;
    }

    /** Pairs of instance i's current round that may be nonzero (the rest are zero pairs). */
    private int livePairs(int i) {
        return Math.min(1 << (vars[i] - 1), (live[i] + 1) / 2);
    }

    /** A new chunk with variable 0 of each active instance bound to r. */
    public SumcheckChunk fold(boolean[] active, Fp3 r) {
        long[][][] ts = new long[tables.length][][];
        boolean[][] e = new boolean[tables.length][];
        int[] v = vars.clone();
        int[] l = live.clone();
        for (int i = 0; i < tables.length; i++) {
            if (!active[i]) {
                ts[i] = tables[i];
                e[i] = ext[i];
                continue;
            }
            int half = 1 << (vars[i] - 1);
            int pairs = livePairs(i);
            // the next round reads its live entries rounded up to even: one zero entry past an odd count
            int keep = Math.min(half, pairs + (pairs & 1));
            ts[i] = new long[tables[i].length][];
            e[i] = new boolean[tables[i].length];
            for (int j = 0; j < tables[i].length; j++) {
                long[] out = new long[3 * keep];
                if (ext[i][j]) {
                    Mle.foldExt(tables[i][j], pairs, r, out);
                } else {
                    Mle.foldBase(tables[i][j], pairs, r, out);
                }
                ts[i][j] = out;
                e[i][j] = true;
            }
            v[i]--;
            l[i] = pairs;
        }
        return new SumcheckChunk(expressions, ts, e, v, l);
    }

    /** The single remaining value of each table of instance i (all its variables bound). */
    public Fp3[] values(int i) {
        if (vars[i] != 0) {
            throw new IllegalStateException("instance " + i + " still has " + vars[i] + " variables");
        }
        Fp3[] out = new Fp3[tables[i].length];
        for (int j = 0; j < out.length; j++) {
            out[j] = ext[i][j] ? Fp3.get(tables[i][j], 0) : Fp3.of(tables[i][j][0]);
        }
        return out;
    }

    /**
     * Reassembles chunks whose local variables are all bound into one chunk over the k high
     * variables: entry c of each table is chunk c's remaining value.
     */
    public static SumcheckChunk assemble(SumcheckChunk[] chunks) {
        int count = chunks.length;
        Mle.log2Exact(count);
        SumcheckChunk first = chunks[0];
        int m = first.expressions.length;
        long[][][] ts = new long[m][][];
        boolean[][] e = new boolean[m][];
        int[] v = new int[m];
        int k = Integer.numberOfTrailingZeros(count);
        for (int i = 0; i < m; i++) {
            int arity = first.tables[i].length;
            ts[i] = new long[arity][3 * count];
            e[i] = new boolean[arity];
            java.util.Arrays.fill(e[i], true);
            v[i] = k;
            for (int c = 0; c < count; c++) {
                Fp3[] vals = chunks[c].values(i);
                for (int j = 0; j < arity; j++) {
                    vals[j].put(ts[i][j], c);
                }
            }
        }
        return new SumcheckChunk(first.expressions, ts, e, v);
    }
}
