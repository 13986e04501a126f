package dev.zkspark.sumcheck;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;

/**
 * A (batched) sumcheck proof: for each round, the combined round polynomial's values at
 * 0, 2, 3, ..., D (the value at 1 is implied by the running claim, DESIGN §3), and the final
 * evaluations of every table of every instance at that instance's point.
 */
public final class SumcheckProof {
    /** Upper bounds used when parsing, so hostile input cannot make us allocate much. */
    static final int MAX_ROUNDS = 64;
    static final int MAX_DEGREE = 16;
    static final int MAX_INSTANCES = 1 << 16;
    static final int MAX_ARITY = 64;

    private final Fp3[][] rounds;
    private final Fp3[][] finalEvals;

    public SumcheckProof(Fp3[][] rounds, Fp3[][] finalEvals) {
        this.rounds = deepCopy(rounds);
        this.finalEvals = deepCopy(finalEvals);
    }

    public int numRounds() {
        return rounds.length;
    }

    /** Round i's message: values at 0, 2, ..., D (a copy). */
    public Fp3[] round(int i) {
        return rounds[i].clone();
    }

    public int numInstances() {
        return finalEvals.length;
    }

    /** Final evaluations of instance i's tables (a copy). */
    public Fp3[] finalEvals(int i) {
        return finalEvals[i].clone();
    }

    /** A proof with round i's value j replaced (for tamper tests and simulators). */
    public SumcheckProof withRoundValue(int i, int j, Fp3 v) {
        Fp3[][] r = deepCopy(rounds);
        r[i][j] = v;
        return new SumcheckProof(r, finalEvals);
    }

    public SumcheckProof withFinalEval(int i, int j, Fp3 v) {
        Fp3[][] f = deepCopy(finalEvals);
        f[i][j] = v;
        return new SumcheckProof(rounds, f);
    }

    public void write(ByteSink out) {
        out.u32(rounds.length);
        for (Fp3[] r : rounds) {
            out.exts(r);
        }
        out.u32(finalEvals.length);
        for (Fp3[] f : finalEvals) {
            out.exts(f);
        }
    }

    public static SumcheckProof read(ByteSource in) throws MalformedInputException {
        int n = in.count("sumcheck rounds", MAX_ROUNDS);
        Fp3[][] rounds = new Fp3[n][];
        for (int i = 0; i < n; i++) {
            rounds[i] = in.exts("sumcheck round", MAX_DEGREE);
        }
        int m = in.count("sumcheck instances", MAX_INSTANCES);
        Fp3[][] finals = new Fp3[m][];
        for (int i = 0; i < m; i++) {
            finals[i] = in.exts("sumcheck final evaluations", MAX_ARITY);
        }
        return new SumcheckProof(rounds, finals);
    }

    /** Encoded size in bytes. */
    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }

    private static Fp3[][] deepCopy(Fp3[][] a) {
        Fp3[][] c = new Fp3[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
