package dev.zkspark.bench;

import dev.zkspark.circuit.MatMul;
import dev.zkspark.circuit.PointIdentity;
import dev.zkspark.core.Parallel;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.lookup.Table;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bench ops} (issue 3): prove time of each tensor operation next to the plain fixed-point
 * computation of the same operation, measured in the same run on one thread. The matmul's prove time
 * includes evaluating the committed output at the random point (the op's whole proving cost).
 */
final class OpsBench implements Benchmark {
    @Override
    public String name() {
        return "ops";
    }

    @Override
    public String description() {
        return "matmul, logUp and rescale proofs vs the plain fixed-point operation (one thread)";
    }

    @Override
    public void run(PrintStream out, boolean quick) {
        int saved = Parallel.threads();
        Parallel.setThreads(1);
        try {
            runSingle(out, quick);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private void runSingle(PrintStream out, boolean quick) {
        int reps = quick ? 1 : 5;
        SplittableRandom r = new SplittableRandom(1);
        out.printf("%-40s %12s %12s %8s%n", "operation (1 thread)", "prove ms", "plain ms", "ratio");

        // matmul (128 x 512) * (512 x 1536), 16-bit fixed-point entries
        int m = quick ? 32 : 128, k = quick ? 128 : 512, n = quick ? 256 : 1536;
        // tensors are committed padded to powers of two (DESIGN §3): the proof works on 2048 columns
        int np = Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
        MatMul.Shape shape = new MatMul.Shape(1, m, k, np);
        long[] xs = signed(r, m * k, 1 << 16);
        long[] ws = signed(r, k * n, 1 << 16);
        long[] ysPlain = new long[m * n];
        double plainMm = ms(Timer.bestNanos(3, reps, () -> plainMatmul(xs, ws, ysPlain, m, k, n)));
        long[] x = embed(xs);
        long[] w = padColumns(embed(ws), k, n, np);
        long[] y = padColumns(embed(ysPlain), m, n, np);
        double proveMm = ms(Timer.bestNanos(3, reps, () -> {
            Transcript t = Transcript.create(Hash.SHA256, "bench", new byte[0]);
            Point u = new Point(t.challengesExt("u", shape.outVars()));
            Claim onY = new Claim("Y", u, Mle.base(y).evaluate(u));
            MatMul.prove(shape, "X", x, "W", w, onY, t);
        }));
        row(out, "matmul " + m + "x" + k + " * " + k + "x" + n, proveMm, plainMm);

        // logUp: 2^20 lookups into a 2^16 range table
        int lookups = quick ? 1 << 14 : 1 << 20;
        int tableBits = quick ? 12 : 16;
        Table range = Table.range("r", 0, tableBits);
        long[] vals = new long[lookups];
        for (int i = 0; i < lookups; i++) {
            vals[i] = r.nextInt(1 << tableBits);
        }
        List<LookupColumn> cols = List.of(LookupColumn.of("v", vals));
        double plainLu = ms(Timer.bestNanos(1, reps, () -> Timer.consume(plainRangeCheck(vals, 1 << tableBits))));
        double proveLu = ms(Timer.bestNanos(1, reps, () -> {
            long[] mult = LogUp.multiplicities(range, cols);
            LogUp.prove(range, cols, mult, Transcript.create(Hash.SHA256, "bench", new byte[0]));
        }));
        row(out, "logUp 2^" + log2(lookups) + " lookups into 2^" + tableBits, proveLu, plainLu);

        // rescale of 2^20 values by 2^16: identity at a point + range lookup of the remainders
        int count = quick ? 1 << 14 : 1 << 20;
        long[] accs = signed(r, count, 1 << 29);
        long[] acc = embed(accs);
        long[] q = new long[count];
        long[] rem = new long[count];
        double plainRs = ms(Timer.bestNanos(1, reps, () -> plainRescale(accs, q, rem, 16)));
        long[][] qr = PointIdentity.rescale(acc, 16);
        Table remTable = Table.range("rem", -(1L << 15), 16);
        double proveRs = ms(Timer.bestNanos(1, reps, () -> {
            Transcript t = Transcript.create(Hash.SHA256, "bench", new byte[0]);
            PointIdentity.prove(List.of(acc, qr[0], qr[1]), log2(count), t);
            List<LookupColumn> rc = List.of(LookupColumn.of("R", qr[1]));
            LogUp.prove(remTable, rc, LogUp.multiplicities(remTable, rc), t);
        }));
        row(out, "rescale 2^" + log2(count) + " values by 2^16", proveRs, plainRs);

        out.printf("ratio matmul-prove/matmul: %.3f%n", proveMm / plainMm);
        out.printf("ns per lookup: %.1f%n", proveLu * 1e6 / lookups);
    }

    static void plainMatmul(long[] x, long[] w, long[] y, int m, int k, int n) {
        java.util.Arrays.fill(y, 0);
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < k; l++) {
                long xv = x[i * k + l];
                int wo = l * n;
                int yo = i * n;
                for (int j = 0; j < n; j++) {
                    y[yo + j] += xv * w[wo + j];
                }
            }
        }
    }

    static long plainRangeCheck(long[] v, long bound) {
        long bad = 0;
        for (long x : v) {
            bad += (x < 0 || x >= bound) ? 1 : 0;
        }
        return bad;
    }

    static void plainRescale(long[] x, long[] q, long[] r, int s) {
        long half = 1L << (s - 1);
        for (int i = 0; i < x.length; i++) {
            long qq = Math.floorDiv(x[i] + half, 1L << s);
            q[i] = qq;
            r[i] = x[i] - (qq << s);
        }
    }

    private static long[] signed(SplittableRandom r, int n, int bound) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(2 * bound) - bound;
        }
        return a;
    }

    private static long[] embed(long[] a) {
        long[] e = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            e[i] = Goldilocks.fromSigned(a[i]);
        }
        return e;
    }

    private static long[] padColumns(long[] a, int rows, int cols, int padded) {
        long[] out = new long[rows * padded];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * cols, out, i * padded, cols);
        }
        return out;
    }

    private static int log2(int n) {
        return Integer.numberOfTrailingZeros(n);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void row(PrintStream out, String op, double prove, double plain) {
        out.printf("%-40s %12.2f %12.2f %8.2f%n", op, prove, plain, prove / plain);
    }

}
