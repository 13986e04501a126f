package dev.zkspark.lookup;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.RoundOracle;

/**
 * A fraction tree of 2^n leaves split into P = 2^K blocks of contiguous leaves (block c: the
 * leaves whose high K variables are c), each held as a {@link FractionSubtree} by {@link Blocks}
 * (Spark partitions, or memory). The driver side, this class, holds only the tree's top: the
 * blocks send their nodes on the cut level n - K - g (2^g each; g the gather variables), and the
 * layers above it are one local tree. A descent layer whose children lie below the cut runs its
 * first rounds on the blocks (each sums its share of t(0), t(2) with its eq tables scaled by eq of
 * the high coordinates at c; {@link GkrLayerOracle} adds them) until each block has 2^g nodes
 * left, then the driver gathers the blocks' folded tables and finishes the layer locally.
 *
 * <p>Same bytes as the one-JVM tree for any P and g: the tree's values do not depend on where they
 * are computed, the blocks' sums are exact field sums, and the folded tables gathered in block
 * order are the whole layer's folded tables (the block bits are the high variables). Nothing here
 * touches the transcript: soundness is {@link FractionalSum}'s.
 */
public final class SplitFractionTree implements FractionTree {
    /** The blocks of a tree and the work done on them (one Spark job per call, in the Spark form). */
    public interface Blocks {
        /** Each block's p and q on a level, in block order. */
        long[][][] level(int level);

        /**
         * Starts layer k on every block c: {@code GkrLayerPart.of(rLow, eqAt(rHigh, c), lambda,
         * subtree.children(k))} (see {@link #part}); no work is done until the next call.
         */
        void startLayer(int k, Point rLow, Point rHigh, Fp3 lambda);

        /** The started layer's t(0), t(2), summed over the blocks. */
        Fp3[] t02();

        /** The started layer's t(1), summed over the blocks. */
        Fp3 t1();

        /** Binds the started layer's lowest unbound variable on every block (lazily, in the Spark form). */
        void fold(Fp3 rho);

        /** Each block's current tables p0, L, q0, q1, in block order; ends the started layer. */
        long[][][] gather();
    }

    /** Block c's part of layer k (what {@link Blocks#startLayer} asks every block to build). */
    public static GkrLayerPart part(FractionSubtree st, int k, Point rLow, Point rHigh, Fp3 lambda) {
        long[][] ch = st.children(k);
        return GkrLayerPart.of(rLow, Mle.eqAt(rHigh, st.block()), lambda, ch[0], ch[1], ch[2], ch[3]);
    }

    /** The leaves [from, to) of block c of a tree of 2^n leaves in {@code count} blocks (empty past a small tree's end). */
    public static long[] blockRange(int n, int count, int c) {
        int k = Integer.numberOfTrailingZeros(count);
        if (n >= k) {
            long size = 1L << (n - k);
            return new long[] {c * size, (c + 1) * size};
        }
        return c == 0 ? new long[] {0, 1L << n} : new long[] {0, 0};
    }

    /** The cut level of a tree of 2^n leaves in {@code count} blocks with g gather variables. */
    public static int cut(int n, int count, int gatherVars) {
        return Math.max(0, n - Integer.numberOfTrailingZeros(count) - gatherVars);
    }

    private final int n;
    private final int k;
    private final int g;
    private final int cut;
    private final Blocks blocks;
    private final FractionalSum.Tree topTree;

    /**
     * @param count P, a power of two
     * @param gatherVars g: a distributed layer is gathered to the driver once each block has 2^g nodes left
     * @param blocks block c holds {@link FractionSubtree} c with levels 0..{@link #cut} (one job: the cut level)
     */
    public SplitFractionTree(int n, int count, int gatherVars, Blocks blocks) {
        if (n < 1 || Integer.bitCount(count) != 1 || gatherVars < 0 || count == 1 && gatherVars == 0) {
            throw new IllegalArgumentException("a split tree needs n >= 1, a power-of-two block count and g >= 0, not both 0");
        }
        this.n = n;
        this.k = Integer.numberOfTrailingZeros(count);
        this.g = gatherVars;
        this.cut = cut(n, count, gatherVars);
        this.blocks = blocks;
        long[][][] top = blocks.level(cut);
        this.topTree = FractionalSum.Tree.build(Mle.ext(concat(top, 0)), Mle.ext(concat(top, 1)));
        if (topTree.n != n - cut) {
            throw new IllegalStateException("blocks sent " + (1L << topTree.n) + " nodes for level " + cut + " of a tree of 2^" + n);
        }
    }

    private static long[] concat(long[][][] perBlock, int table) {
        int len = 0;
        for (long[][] b : perBlock) {
            len += b[table].length;
        }
        long[] out = new long[len];
        int at = 0;
        for (long[][] b : perBlock) {
            System.arraycopy(b[table], 0, out, at, b[table].length);
            at += b[table].length;
        }
        return out;
    }

    @Override
    public int numVars() {
        return n;
    }

    @Override
    public Fp3[] top() {
        return topTree.top();
    }

    @Override
    public RoundOracle layer(int layer, Point r, Fp3 lambda, Fp3 claim) {
        if (layer - 1 >= cut) {
            return topTree.layer(layer - cut, r, lambda, claim);
        }
        int m = n - layer; // k + g <= m: each block has 2^(m-k) >= 2^g nodes
        int v = m - k;
        int rounds = v - g;
        blocks.startLayer(layer, r.slice(0, v), r.slice(v, m), lambda);
        return new GkrLayerOracle(r, lambda, claim, new GkrLayerOracle.Parts() {
            private int round;
            private GkrLayerOracle.Parts tail;

            private GkrLayerOracle.Parts tail() {
                if (tail == null && round >= rounds) {
                    long[][][] t = blocks.gather();
                    tail = GkrLayerOracle.local(GkrLayerPart.ofCombined(r.slice(rounds, m), Fp3.ONE, concat(t, 0), concat(t, 1),
                            concat(t, 2), concat(t, 3)));
                }
                return tail;
            }

            @Override
            public Fp3[] t02() {
                return tail() != null ? tail.t02() : blocks.t02();
            }

            @Override
            public Fp3 t1() {
                return tail() != null ? tail.t1() : blocks.t1();
            }

            @Override
            public void fold(Fp3 rho) {
                if (tail() != null) {
                    tail.fold(rho);
                } else {
                    blocks.fold(rho);
                }
                round++;
            }

            @Override
            public Fp3[] finals() {
                return tail().finals();
            }
        });
    }

    /** Blocks held in this JVM (tests and single-machine runs of the split protocol). */
    public static Blocks inMemory(FractionSubtree[] subtrees) {
        return new Blocks() {
            private GkrLayerPart[] parts;

            @Override
            public long[][][] level(int level) {
                long[][][] out = new long[subtrees.length][][];
                for (int c = 0; c < subtrees.length; c++) {
                    out[c] = subtrees[c].level(level);
                }
                return out;
            }

            @Override
            public void startLayer(int layer, Point rLow, Point rHigh, Fp3 lambda) {
                parts = new GkrLayerPart[subtrees.length];
                for (int c = 0; c < subtrees.length; c++) {
                    parts[c] = part(subtrees[c], layer, rLow, rHigh, lambda);
                }
            }

            @Override
            public Fp3[] t02() {
                Fp3[] sum = {Fp3.ZERO, Fp3.ZERO};
                for (GkrLayerPart p : parts) {
                    Fp3[] s = p.t02();
                    sum[0] = sum[0].add(s[0]);
                    sum[1] = sum[1].add(s[1]);
                }
                return sum;
            }

            @Override
            public Fp3 t1() {
                Fp3 sum = Fp3.ZERO;
                for (GkrLayerPart p : parts) {
                    sum = sum.add(p.t1());
                }
                return sum;
            }

            @Override
            public void fold(Fp3 rho) {
                for (int c = 0; c < parts.length; c++) {
                    parts[c] = parts[c].fold(rho);
                }
            }

            @Override
            public long[][][] gather() {
                long[][][] out = new long[parts.length][][];
                for (int c = 0; c < parts.length; c++) {
                    out[c] = parts[c].tables();
                }
                parts = null;
                return out;
            }
        };
    }
}
