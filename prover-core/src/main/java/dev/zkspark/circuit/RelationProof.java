package dev.zkspark.circuit;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.SumcheckProof;

/**
 * The proof of a batch of {@link Relation}s: per relation the left-hand values at its random point,
 * and one sumcheck for all of them.
 */
public record RelationProof(Fp3[][] lhsValues, SumcheckProof sumcheck) {
    static final int MAX_RELATIONS = 1 << 12;
    static final int MAX_LHS = 64;

    public void write(ByteSink out) {
        out.u32(lhsValues.length);
        for (Fp3[] v : lhsValues) {
            out.exts(v);
        }
        sumcheck.write(out);
    }

    public static RelationProof read(ByteSource in) throws MalformedInputException {
        int n = in.count("relations", MAX_RELATIONS);
        Fp3[][] lhs = new Fp3[n][];
        for (int i = 0; i < n; i++) {
            lhs[i] = in.exts("relation left-hand values", MAX_LHS);
        }
        return new RelationProof(lhs, SumcheckProof.read(in));
    }

    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }
}
