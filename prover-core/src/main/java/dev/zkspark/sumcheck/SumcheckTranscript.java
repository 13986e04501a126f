package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Point;
import dev.zkspark.transcript.Transcript;
import java.util.List;

/** The transcript glue shared by prover and verifier, so both absorb exactly the same bytes. */
final class SumcheckTranscript {
    private SumcheckTranscript() {}

    /** Absorbs the instance shapes and claims; returns the batching coefficient (1 for one instance). */
    static Fp3 begin(Transcript t, List<SumcheckClaim> claims, int maxDegree) {
        t.absorbLong("sumcheck/instances", claims.size());
        t.absorbLong("sumcheck/degree", maxDegree);
        for (SumcheckClaim c : claims) {
            t.absorbLong("sumcheck/num-vars", c.numVars());
            t.absorbLong("sumcheck/inst-degree", c.expression().degree());
            t.absorbExt("sumcheck/claim", c.claimedSum());
        }
        return claims.size() == 1 ? Fp3.ONE : t.challengeExt("sumcheck/batch");
    }

    static Fp3 round(Transcript t, Fp3[] message) {
        t.absorbExt("sumcheck/round", message);
        return t.challengeExt("sumcheck/r");
    }

    static void finish(Transcript t, Fp3[][] finalEvals) {
        for (Fp3[] f : finalEvals) {
            t.absorbExt("sumcheck/final", f);
        }
    }

    /** The sub-point of an instance with {@code numVars} variables: it uses the last challenges. */
    static Point instancePoint(Fp3[] challenges, int numVars) {
        int n = challenges.length;
        Fp3[] p = new Fp3[numVars];
        System.arraycopy(challenges, n - numVars, p, 0, numVars);
        return new Point(p);
    }

    static int maxVars(List<SumcheckClaim> claims) {
        int n = 0;
        for (SumcheckClaim c : claims) {
            n = Math.max(n, c.numVars());
        }
        return n;
    }

    static int maxDegree(List<SumcheckClaim> claims) {
        int d = 1;
        for (SumcheckClaim c : claims) {
            d = Math.max(d, c.expression().degree());
        }
        return d;
    }
}
