package dev.zkspark.lookup;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;

/** A logUp-GKR proof: the two fractional sums and each column's evaluation at the leaf point. */
public final class LogUpProof {
    final FractionalSumProof witness;
    final FractionalSumProof table;
    final Fp3[] xEvals;
    final Fp3[] yEvals;

    LogUpProof(FractionalSumProof witness, FractionalSumProof table, Fp3[] xEvals, Fp3[] yEvals) {
        this.witness = witness;
        this.table = table;
        this.xEvals = xEvals.clone();
        this.yEvals = yEvals.clone();
    }

    public void write(ByteSink out) {
        witness.write(out);
        table.write(out);
        out.exts(xEvals).exts(yEvals);
    }

    public static LogUpProof read(ByteSource in) throws MalformedInputException {
        FractionalSumProof w = FractionalSumProof.read(in);
        FractionalSumProof t = FractionalSumProof.read(in);
        return new LogUpProof(w, t, in.exts("lookup column evaluations", 1 << 16), in.exts("lookup column y evaluations", 1 << 16));
    }

    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }
}
