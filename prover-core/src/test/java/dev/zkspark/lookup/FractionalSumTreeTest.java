package dev.zkspark.lookup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Mle;
import dev.zkspark.testing.Rand;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The prover's long[] fast paths of the fraction tree and the witness leaves agree with the
 * definitions computed with Fp3 values.
 */
class FractionalSumTreeTest {
    @Test
    void treeLayersAreFractionSumsOfTheirChildren() {
        SplittableRandom r = new SplittableRandom(21);
        for (int v = 0; v < 27; v++) {
            int n = 1 + v / 3;
            int size = 1 << n;
            // a third of the trees have random leaves throughout; the others a constant tail (the
            // padding of a lookup's leaves) from two thirds of the leaves or from leaf 1 on
            int tail = v % 3 == 0 ? size : v % 3 == 1 ? 2 * size / 3 : 1;
            long[] p = new long[3 * size];
            long[] q = new long[3 * size];
            Fp3 tp = Rand.ext(r);
            Fp3 tq = Rand.ext(r);
            for (int i = 0; i < size; i++) {
                (i < tail ? Rand.ext(r) : tp).put(p, i);
                (i < tail ? Rand.ext(r) : tq).put(q, i);
            }
            FractionalSum.Tree tree = FractionalSum.Tree.build(Mle.ext(p.clone()), Mle.ext(q.clone()));
            assertEquals(Math.min(tail, size - 1), tree.tails[0], "tail of " + size + " leaves");
            Fp3[] lp = values(p);
            Fp3[] lq = values(q);
            for (int k = 1; k <= n; k++) {
                Fp3[] np = new Fp3[lp.length / 2];
                Fp3[] nq = new Fp3[lp.length / 2];
                for (int y = 0; y < np.length; y++) {
                    np[y] = lp[2 * y].mul(lq[2 * y + 1]).add(lp[2 * y + 1].mul(lq[2 * y]));
                    nq[y] = lq[2 * y].mul(lq[2 * y + 1]);
                }
                for (int y = 0; y < np.length; y++) {
                    assertEquals(np[y], Fp3.get(tree.ps[k], y), "p, layer " + k + " of " + n);
                    assertEquals(nq[y], Fp3.get(tree.qs[k], y), "q, layer " + k + " of " + n);
                }
                lp = np;
                lq = nq;
            }
        }
    }

    @Test
    void witnessLeavesAreIndicatorAndAlphaMinusCompressedValue() {
        SplittableRandom r = new SplittableRandom(22);
        for (boolean pairs : new boolean[] {false, true}) {
            List<LookupColumn> cols = new ArrayList<>();
            int[] vars = {4, 2, 3, 0};
            for (int c = 0; c < vars.length; c++) {
                long[] x = Rand.small(r, 1 << vars[c], 1 << 20);
                long[] y = pairs ? Rand.small(r, 1 << vars[c], 1 << 20) : null;
                cols.add(new LookupColumn("x" + c, x, pairs ? "y" + c : null, y));
            }
            LogUp.Layout layout = LogUp.Layout.of(LogUpTest.shapes(cols));
            Fp3 alpha = Rand.ext(r);
            Fp3 beta = pairs ? Rand.ext(r) : Fp3.ZERO;
            long[][] leaves = LogUp.witnessLeaves(cols, layout, alpha, beta);
            int total = 1 << layout.numVars;
            Fp3[] wantQ = new Fp3[total];
            long[] wantP = new long[total];
            java.util.Arrays.fill(wantQ, alpha);
            for (int c = 0; c < cols.size(); c++) {
                LookupColumn col = cols.get(c);
                for (int i = 0; i < col.x().length; i++) {
                    Fp3 w = Fp3.of(col.x()[i]);
                    if (pairs) {
                        w = w.add(beta.mul(Fp3.of(col.y()[i])));
                    }
                    wantQ[layout.offsets[c] + i] = alpha.sub(w);
                    wantP[layout.offsets[c] + i] = 1;
                }
            }
            for (int x = 0; x < total; x++) {
                assertEquals(wantP[x], leaves[0][x], "p at " + x);
                assertEquals(wantQ[x], Fp3.get(leaves[1], x), "q at " + x + (pairs ? " (pairs)" : ""));
            }
        }
    }

    private static Fp3[] values(long[] interleaved) {
        Fp3[] out = new Fp3[interleaved.length / 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = Fp3.get(interleaved, i);
        }
        return out;
    }
}
