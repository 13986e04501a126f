package dev.zkspark.bench;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.pcs.OpeningProof;
import dev.zkspark.pcs.PcsParams;
import dev.zkspark.pcs.TensorCodePcs;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code bench pcs} (issue 4): commit throughput, open and verify time and proof bytes of the tensor
 * code commitment, next to one plain SHA-256 pass over the same bytes measured in the same run.
 */
final class PcsBench implements Benchmark {
    private static final byte[] SEED = "bench-seed-bench-seed-bench-seed".getBytes();

    @Override
    public String name() {
        return "pcs";
    }

    @Override
    public String description() {
        return "polynomial commitment: commit MB/s, open/verify time, proof bytes vs a SHA-256 pass";
    }

    @Override
    public void run(PrintStream out, boolean quick) {
        int[] logs = quick ? new int[] {12, 16} : new int[] {16, 20, 24};
        out.printf("%-6s %11s %11s %10s %10s %12s %11s %6s%n", "size", "commit MB/s", "sha256 MB/s", "open ms",
                "verify ms", "proof bytes", "queries", "bits");
        long bytesAt20 = -1;
        double bits = 0;
        SplittableRandom r = new SplittableRandom(1);
        for (int log : logs) {
            int n = 1 << log;
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = Goldilocks.fromSigned(r.nextInt(1 << 17) - (1 << 16));
            }
            byte[] raw = new byte[8 * n];
            for (int i = 0; i < n; i++) {
                Goldilocks.toBytesLE(v[i], raw, 8 * i);
            }
            List<TensorCodePcs.Tensor> ts = List.of(new TensorCodePcs.Tensor("t", v));
            int reps = log >= 24 ? 1 : quick ? 1 : 3;
            double mb = raw.length / 1e6;
            long sha = Timer.bestNanos(1, reps, () -> Timer.consume(Hash.SHA256.digest(raw)[0]));
            TensorCodePcs.Committed[] st = new TensorCodePcs.Committed[1];
            long commit = Timer.bestNanos(log >= 24 ? 0 : 1, reps, () -> st[0] = TensorCodePcs.commit(ts, SEED));
            Fp3[] c = new Fp3[log];
            for (int i = 0; i < log; i++) {
                c[i] = new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
            }
            Point u = new Point(c);
            List<Claim> claims = List.of(new Claim("t", u, Mle.base(v).evaluate(u)));
            OpeningProof[] proof = new OpeningProof[1];
            long open = Timer.bestNanos(log >= 24 ? 0 : 1, reps,
                    () -> proof[0] = TensorCodePcs.open(st[0], claims, Transcript.create(Hash.SHA256, "bench", new byte[0])));
            boolean[] ok = new boolean[1];
            long verify = Timer.bestNanos(1, reps, () -> ok[0] = TensorCodePcs.verify(st[0].commitment(), claims, proof[0],
                    Transcript.create(Hash.SHA256, "bench", new byte[0])).isAccepted());
            if (!ok[0]) {
                throw new IllegalStateException("bench opening did not verify");
            }
            PcsParams p = st[0].commitment().params();
            int bytes = proof[0].byteSize();
            out.printf("2^%-4d %11.1f %11.1f %10.1f %10.1f %12d %11d %6.1f%n", log, mb / (commit / 1e9), mb / (sha / 1e9),
                    open / 1e6, verify / 1e6, bytes, p.queries(), p.soundnessBits());
            if (log == 20 || (quick && log == 16)) {
                bytesAt20 = bytes;
                bits = p.soundnessBits();
            }
        }
        out.printf("proof bytes at 2^20: %d%n", bytesAt20);
        out.printf("soundness bits: %.1f%n", bits);
    }
}
