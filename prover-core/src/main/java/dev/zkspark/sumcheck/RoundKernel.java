package dev.zkspark.sumcheck;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;

/**
 * The prover's inner loop: the round polynomial of one instance at X = 0, 2, ..., D, summed over
 * all pairs (2b, 2b+1) of the current tables. Linear in the table size; allocates only O(k D) per thread;
 * ranges of pairs run in parallel ({@link Parallel}) and their exact sums are added.
 */
final class RoundKernel {
    private RoundKernel() {}

    /**
     * Values at X = 0..D (index 1 is left zero: the caller derives p(1) from the running claim).
     *
     * @param tabs current tables (base: long[2 half]; ext: interleaved long[6 half])
     * @param ext which tables are over the extension
     */
    static Fp3[] evaluate(Expression g, long[][] tabs, boolean[] ext, int half, int deg) {
        Fp3[][] parts = Parallel.mapRanges(half, Fp3[][]::new, (from, to) -> evaluateRange(g, tabs, ext, from, to, deg));
        Fp3[] sum = parts[0];
        for (int p = 1; p < parts.length; p++) {
            for (int x = 0; x <= deg; x++) {
                sum[x] = sum[x].add(parts[p][x]);
            }
        }
        return sum;
    }

    private static Fp3[] evaluateRange(Expression g, long[][] tabs, boolean[] ext, int from, int to, int deg) {
        boolean allBase = true;
        for (boolean e : ext) {
            allBase &= !e;
        }
        if (allBase) {
            return baseKernel(g, tabs, from, to, deg);
        }
        if (g.numTerms() == 1 && g.termUnsafe(0).length == 2) {
            return productOfTwo(g, tabs, ext, from, to, deg);
        }
        return extKernel(g, tabs, ext, from, to, deg);
    }

    /** All tables over the base field (the first round of base-field data): base arithmetic only. */
    private static Fp3[] baseKernel(Expression g, long[][] tabs, int from, int to, int deg) {
        int k = tabs.length;
        int nt = g.numTerms();
        int pts = deg + 1;
        long[] val = new long[k * pts];
        long[] acc = new long[nt * pts];
        for (int b = from; b < to; b++) {
            for (int j = 0; j < k; j++) {
                long lo = tabs[j][2 * b];
                long hi = tabs[j][2 * b + 1];
                long d = Goldilocks.sub(hi, lo);
                int o = j * pts;
                val[o] = lo;
                long v = hi;
                for (int x = 2; x <= deg; x++) {
                    v = Goldilocks.add(v, d);
                    val[o + x] = v;
                }
            }
            for (int t = 0; t < nt; t++) {
                int[] f = g.termUnsafe(t);
                int ao = t * pts;
                for (int x = 0; x <= deg; x++) {
                    if (x == 1) {
                        continue;
                    }
                    long p = val[f[0] * pts + x];
                    for (int q = 1; q < f.length; q++) {
                        p = Goldilocks.mul(p, val[f[q] * pts + x]);
                    }
                    acc[ao + x] = Goldilocks.add(acc[ao + x], p);
                }
            }
        }
        Fp3[] out = new Fp3[pts];
        for (int x = 0; x <= deg; x++) {
            Fp3 s = Fp3.ZERO;
            for (int t = 0; t < nt; t++) {
                s = s.add(g.coeff(t).mul(acc[t * pts + x]));
            }
            out[x] = s;
        }
        return out;
    }

    /** c * f_a * f_b with at least one extension table: the matmul shape, unrolled. */
    private static Fp3[] productOfTwo(Expression g, long[][] tabs, boolean[] ext, int from, int to, int deg) {
        int[] f = g.termUnsafe(0);
        long[] ta = tabs[f[0]];
        long[] tb = tabs[f[1]];
        boolean ea = ext[f[0]];
        boolean eb = ext[f[1]];
        long[] acc = new long[3 * (deg + 1)];
        long[] prod = new long[3];
        for (int b = from; b < to; b++) {
            long a0, a1, a2, ah0, ah1, ah2;
            if (ea) {
                int i = 6 * b;
                a0 = ta[i]; a1 = ta[i + 1]; a2 = ta[i + 2];
                ah0 = ta[i + 3]; ah1 = ta[i + 4]; ah2 = ta[i + 5];
            } else {
                a0 = ta[2 * b]; a1 = 0; a2 = 0;
                ah0 = ta[2 * b + 1]; ah1 = 0; ah2 = 0;
            }
            long b0, b1, b2, bh0, bh1, bh2;
            if (eb) {
                int i = 6 * b;
                b0 = tb[i]; b1 = tb[i + 1]; b2 = tb[i + 2];
                bh0 = tb[i + 3]; bh1 = tb[i + 4]; bh2 = tb[i + 5];
            } else {
                b0 = tb[2 * b]; b1 = 0; b2 = 0;
                bh0 = tb[2 * b + 1]; bh1 = 0; bh2 = 0;
            }
            // X = 0
            mulMixed(a0, a1, a2, ea, b0, b1, b2, eb, prod);
            acc[0] = Goldilocks.add(acc[0], prod[0]);
            acc[1] = Goldilocks.add(acc[1], prod[1]);
            acc[2] = Goldilocks.add(acc[2], prod[2]);
            long da0 = Goldilocks.sub(ah0, a0), da1 = Goldilocks.sub(ah1, a1), da2 = Goldilocks.sub(ah2, a2);
            long db0 = Goldilocks.sub(bh0, b0), db1 = Goldilocks.sub(bh1, b1), db2 = Goldilocks.sub(bh2, b2);
            long va0 = ah0, va1 = ah1, va2 = ah2, vb0 = bh0, vb1 = bh1, vb2 = bh2;
            for (int x = 2; x <= deg; x++) {
                va0 = Goldilocks.add(va0, da0); va1 = Goldilocks.add(va1, da1); va2 = Goldilocks.add(va2, da2);
                vb0 = Goldilocks.add(vb0, db0); vb1 = Goldilocks.add(vb1, db1); vb2 = Goldilocks.add(vb2, db2);
                mulMixed(va0, va1, va2, ea, vb0, vb1, vb2, eb, prod);
                int o = 3 * x;
                acc[o] = Goldilocks.add(acc[o], prod[0]);
                acc[o + 1] = Goldilocks.add(acc[o + 1], prod[1]);
                acc[o + 2] = Goldilocks.add(acc[o + 2], prod[2]);
            }
        }
        Fp3 c = g.coeff(0);
        Fp3[] out = new Fp3[deg + 1];
        for (int x = 0; x <= deg; x++) {
            out[x] = c.mul(Fp3.get(acc, x));
        }
        return out;
    }

    /** a * b where a base operand (flag false) has zero extension coordinates: 3 muls instead of 6. */
    private static void mulMixed(long a0, long a1, long a2, boolean ea, long b0, long b1, long b2, boolean eb, long[] out) {
        if (ea && eb) {
            Fp3.mulInto(a0, a1, a2, b0, b1, b2, out, 0);
        } else if (eb) {
            out[0] = Goldilocks.mul(a0, b0);
            out[1] = Goldilocks.mul(a0, b1);
            out[2] = Goldilocks.mul(a0, b2);
        } else if (ea) {
            out[0] = Goldilocks.mul(b0, a0);
            out[1] = Goldilocks.mul(b0, a1);
            out[2] = Goldilocks.mul(b0, a2);
        } else {
            out[0] = Goldilocks.mul(a0, b0);
            out[1] = 0;
            out[2] = 0;
        }
    }

    /**
     * The general case: extension arithmetic where a term has an extension factor; a term's base
     * factors are multiplied in the base field first and enter as one base-times-extension product.
     */
    private static Fp3[] extKernel(Expression g, long[][] tabs, boolean[] ext, int from, int to, int deg) {
        int k = tabs.length;
        int nt = g.numTerms();
        int pts = deg + 1;
        long[] val = new long[3 * k * pts];
        long[] acc = new long[3 * nt * pts];
        long[] p = new long[3];
        int[][] baseFactors = new int[nt][];
        int[][] extFactors = new int[nt][];
        for (int t = 0; t < nt; t++) {
            int[] f = g.termUnsafe(t);
            baseFactors[t] = java.util.Arrays.stream(f).filter(j -> !ext[j]).toArray();
            extFactors[t] = java.util.Arrays.stream(f).filter(j -> ext[j]).toArray();
        }
        for (int b = from; b < to; b++) {
            for (int j = 0; j < k; j++) {
                long[] t = tabs[j];
                long l0, l1, l2, h0, h1, h2;
                if (ext[j]) {
                    int i = 6 * b;
                    l0 = t[i]; l1 = t[i + 1]; l2 = t[i + 2];
                    h0 = t[i + 3]; h1 = t[i + 4]; h2 = t[i + 5];
                } else {
                    l0 = t[2 * b]; l1 = 0; l2 = 0;
                    h0 = t[2 * b + 1]; h1 = 0; h2 = 0;
                }
                long d0 = Goldilocks.sub(h0, l0), d1 = Goldilocks.sub(h1, l1), d2 = Goldilocks.sub(h2, l2);
                int o = 3 * j * pts;
                val[o] = l0; val[o + 1] = l1; val[o + 2] = l2;
                for (int x = 2; x <= deg; x++) {
                    h0 = Goldilocks.add(h0, d0); h1 = Goldilocks.add(h1, d1); h2 = Goldilocks.add(h2, d2);
                    int q = o + 3 * x;
                    val[q] = h0; val[q + 1] = h1; val[q + 2] = h2;
                }
            }
            for (int t = 0; t < nt; t++) {
                int[] fb = baseFactors[t];
                int[] fe = extFactors[t];
                for (int x = 0; x <= deg; x++) {
                    if (x == 1) {
                        continue;
                    }
                    // the base factors' product in the base field, then the extension factors, then
                    // one base-times-extension product (3 base multiplications instead of 9 per factor)
                    long pb = 1;
                    for (int j : fb) {
                        pb = Goldilocks.mul(pb, val[3 * (j * pts + x)]);
                    }
                    int a = 3 * (t * pts + x);
                    if (fe.length == 0) {
                        acc[a] = Goldilocks.add(acc[a], pb);
                        continue;
                    }
                    int q = 3 * (fe[0] * pts + x);
                    p[0] = val[q]; p[1] = val[q + 1]; p[2] = val[q + 2];
                    for (int m = 1; m < fe.length; m++) {
                        int r = 3 * (fe[m] * pts + x);
                        Fp3.mulInto(p[0], p[1], p[2], val[r], val[r + 1], val[r + 2], p, 0);
                    }
                    if (fb.length > 0) {
                        p[0] = Goldilocks.mul(p[0], pb);
                        p[1] = Goldilocks.mul(p[1], pb);
                        p[2] = Goldilocks.mul(p[2], pb);
                    }
                    acc[a] = Goldilocks.add(acc[a], p[0]);
                    acc[a + 1] = Goldilocks.add(acc[a + 1], p[1]);
                    acc[a + 2] = Goldilocks.add(acc[a + 2], p[2]);
                }
            }
        }
        Fp3[] out = new Fp3[pts];
        for (int x = 0; x <= deg; x++) {
            Fp3 s = Fp3.ZERO;
            for (int t = 0; t < nt; t++) {
                s = s.add(g.coeff(t).mul(Fp3.get(acc, t * pts + x)));
            }
            out[x] = s;
        }
        return out;
    }
}
