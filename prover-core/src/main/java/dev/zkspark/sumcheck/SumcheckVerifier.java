package dev.zkspark.sumcheck;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Univariate;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

/**
 * The sumcheck verifier for {@link SumcheckProver}'s batched proofs.
 *
 * <p>Soundness (Schwartz-Zippel per round): if the batched claim is false, the prover survives a
 * round only if the challenge hits a root of the difference between its message and the true
 * polynomial, probability at most D / |F_p^3|; over n rounds at most n D / 2^191.99. Batching adds
 * (m - 1) / |F_p^3| (a false instance cancels in the combination only if alpha is a root of a
 * nonzero polynomial of degree m - 1). For n = 40, D = 4, m = 2^16 that is below 2^-175.
 *
 * <p>The verifier checks the rounds and that the combined expression of the proof's final
 * evaluations equals the final running claim; the returned {@link Subclaim}s must then be
 * discharged by the caller (commitment openings or direct evaluation).
 */
public final class SumcheckVerifier {
    private SumcheckVerifier() {}

    /** A verdict and, when accepted, the subclaims to discharge (one per instance, in order). */
    public record Result(Verdict verdict, List<Subclaim> subclaims) {
        static Result reject(String why) {
            return new Result(Verdict.reject(why), List.of());
        }
    }

    public static Result verify(SumcheckClaim claim, SumcheckProof proof, Transcript t) {
        return verify(List.of(claim), proof, t);
    }

    public static Result verify(List<SumcheckClaim> claims, SumcheckProof proof, Transcript t) {
        if (claims.isEmpty()) {
            return Result.reject("sumcheck: no instance");
        }
        int n = SumcheckTranscript.maxVars(claims);
        int deg = SumcheckTranscript.maxDegree(claims);
        if (proof.numRounds() != n) {
            return Result.reject("sumcheck: expected " + n + " rounds, proof has " + proof.numRounds());
        }
        if (proof.numInstances() != claims.size()) {
            return Result.reject("sumcheck: expected " + claims.size() + " instances, proof has " + proof.numInstances());
        }
        for (int i = 0; i < claims.size(); i++) {
            if (proof.finalEvals(i).length != claims.get(i).expression().arity()) {
                return Result.reject("sumcheck: instance " + i + " final evaluations have the wrong arity");
            }
        }
        Fp3 alpha = SumcheckTranscript.begin(t, claims, deg);
        Fp3 running = Fp3.ZERO;
        Fp3 c = Fp3.ONE;
        Fp3[] coef = new Fp3[claims.size()];
        for (int i = 0; i < claims.size(); i++) {
            coef[i] = c;
            SumcheckClaim cl = claims.get(i);
            running = running.add(c.mul(cl.claimedSum()).mul(Goldilocks.pow(2, n - cl.numVars())));
            c = c.mul(alpha);
        }
        Fp3[] challenges = new Fp3[n];
        for (int round = 0; round < n; round++) {
            Fp3[] sent = proof.round(round);
            if (sent.length != deg) {
                return Result.reject("sumcheck round " + round + ": expected " + deg + " values, got " + sent.length);
            }
            Fp3[] values = new Fp3[deg + 1];
            values[0] = sent[0];
            values[1] = running.sub(sent[0]);
            for (int x = 2; x <= deg; x++) {
                values[x] = sent[x - 1];
            }
            Fp3 r = SumcheckTranscript.round(t, sent);
            challenges[round] = r;
            running = Univariate.evaluateFromValues(values, r);
        }
        Fp3 expected = Fp3.ZERO;
        Fp3[][] finals = new Fp3[claims.size()][];
        for (int i = 0; i < claims.size(); i++) {
            finals[i] = proof.finalEvals(i);
            expected = expected.add(coef[i].mul(claims.get(i).expression().evaluate(finals[i])));
        }
        if (!expected.equals(running)) {
            return Result.reject("sumcheck final check: expression of the final evaluations does not match the last round");
        }
        SumcheckTranscript.finish(t, finals);
        List<Subclaim> subclaims = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            subclaims.add(new Subclaim(SumcheckTranscript.instancePoint(challenges, claims.get(i).numVars()), finals[i]));
        }
        return new Result(Verdict.accept(), subclaims);
    }
}
