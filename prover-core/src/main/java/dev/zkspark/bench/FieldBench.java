package dev.zkspark.bench;

import dev.zkspark.core.Parallel;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.field.Ntt;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bench field}: base and extension multiplication, NTT, and the sumcheck prover per input
 * element, each next to a plain {@code long} multiply-accumulate over the same arrays (issue 2). The
 * ratio line uses the single-threaded prover, comparable with the single-threaded plain loop.
 */
final class FieldBench implements Benchmark {
    @Override
    public String name() {
        return "field";
    }

    @Override
    public String description() {
        return "Goldilocks/Fp3 arithmetic, NTT and sumcheck prover vs a plain int64 multiply-accumulate";
    }

    @Override
    public void run(PrintStream out, boolean quick) {
        int reps = quick ? 2 : 5;
        int n = 1 << 20;
        long[] a = random(n, 1);
        long[] b = random(n, 2);
        long[] c = random(n, 3);

        out.printf("%-34s %14s %14s %10s%n", "operation", "ns/element", "plain ns/el", "ratio");
        double plainMac = perElem(Timer.bestNanos(3, reps, () -> Timer.consume(plainMac(a, b))), n);
        double gMac = perElem(Timer.bestNanos(3, reps, () -> Timer.consume(Goldilocks.innerProduct(a, b, n))), n);
        row(out, "goldilocks mul+add (MAC) 2^20", gMac, plainMac);

        long[] prod = new long[n];
        double mul = perElem(Timer.bestNanos(3, reps, () -> {
            for (int i = 0; i < n; i++) {
                prod[i] = Goldilocks.mul(a[i], b[i]);
            }
            Timer.consume(prod[n - 1]);
        }), n);
        row(out, "goldilocks mul 2^20", mul, plainMac);

        int ne = n / 4;
        long[] ea = random(3 * ne, 4);
        long[] eb = random(3 * ne, 5);
        long[] ec = new long[3 * ne];
        double extMul = perElem(Timer.bestNanos(3, reps, () -> {
            for (int i = 0; i < ne; i++) {
                Fp3.mul(ea, i, eb, i, ec, i);
            }
            Timer.consume(ec[0]);
        }), ne);
        row(out, "fp3 mul 2^18", extMul, plainMac);

        long[] nttBuf = new long[n];
        double ntt = perElem(Timer.bestNanos(1, reps, () -> {
            System.arraycopy(a, 0, nttBuf, 0, n);
            Ntt.forward(nttBuf);
            Timer.consume(nttBuf[1]);
        }), n);
        row(out, "ntt 2^20 (per element)", ntt, plainMac);

        double deg2Ratio = 0;
        int[] logs = quick ? new int[] {16, 18} : new int[] {20, 22};
        for (int log : logs) {
            int m = 1 << log;
            long[] x = random(m, 10 + log);
            long[] y = random(m, 20 + log);
            long[] z = random(m, 30 + log);
            double plain2 = perElem(Timer.bestNanos(2, reps, () -> Timer.consume(plainMac(x, y))), m);
            double plain3 = perElem(Timer.bestNanos(2, reps, () -> Timer.consume(plainMac3(x, y, z))), m);
            int cores = Parallel.threads();
            Parallel.setThreads(1);
            double sc2 = perElem(Timer.bestNanos(1, reps, () -> prove(Expression.product(2), x, y)), m);
            double sc3 = perElem(Timer.bestNanos(1, reps, () -> prove(Expression.product(3), x, y, z)), m);
            Parallel.setThreads(cores);
            double sc2p = perElem(Timer.bestNanos(1, reps, () -> prove(Expression.product(2), x, y)), m);
            double sc3p = perElem(Timer.bestNanos(1, reps, () -> prove(Expression.product(3), x, y, z)), m);
            row(out, "sumcheck prover deg-2 2^" + log, sc2, plain2);
            row(out, "sumcheck prover deg-3 2^" + log, sc3, plain3);
            row(out, "  same, " + cores + " threads", sc2p, plain2);
            row(out, "  deg-3, " + cores + " threads", sc3p, plain3);
            deg2Ratio = sc2 / plain2;
        }
        out.printf("ratio goldilocks-mac/plain-mac: %.2f%n", gMac / plainMac);
        out.printf("ratio sumcheck-deg2/plain-mac: %.2f%n", deg2Ratio);
    }

    private static void prove(Expression g, long[]... tables) {
        List<Mle> ts = new ArrayList<>();
        for (long[] t : tables) {
            ts.add(Mle.base(t));
        }
        Transcript tr = Transcript.create(Hash.SHA256, "bench", new byte[0]);
        // the claimed sum is not needed for proving speed; any value keeps the prover's work equal
        SumcheckProver.prove(new SumcheckInstance(g, ts, Fp3.ZERO), tr);
    }

    private static void row(PrintStream out, String op, double ns, double plain) {
        out.printf("%-34s %14.2f %14.2f %10.2f%n", op, ns, plain, ns / plain);
    }

    private static double perElem(long nanos, int n) {
        return (double) nanos / n;
    }

    static long plainMac(long[] a, long[] b) {
        long acc = 0;
        for (int i = 0; i < a.length; i++) {
            acc += a[i] * b[i];
        }
        return acc;
    }

    static long plainMac3(long[] a, long[] b, long[] c) {
        long acc = 0;
        for (int i = 0; i < a.length; i++) {
            acc += a[i] * b[i] * c[i];
        }
        return acc;
    }

    static long[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = Goldilocks.reduce(r.nextLong());
        }
        return out;
    }
}
