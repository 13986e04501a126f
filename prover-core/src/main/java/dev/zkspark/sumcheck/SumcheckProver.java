package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

/**
 * The generic sumcheck prover (Lund-Fortnow-Karloff-Nisan) for one or many instances batched with a
 * random linear combination (DESIGN §4).
 *
 * <p>Batching: after absorbing every instance's shape and claim, alpha is drawn and the prover
 * proves sum_i alpha^i 2^(n - n_i) S_i over n = max n_i variables. An instance with n_i &lt; n
 * ignores the first n - n_i variables (it "joins late"), so its point is the last n_i challenges
 * and in earlier rounds it contributes the constant S_i 2^(n - n_i - j - 1).
 *
 * <p>Round j binds variable j (pairs 2b, 2b+1, DESIGN §3) and sends the combined round polynomial at
 * 0, 2, ..., D; the value at 1 is implied by the running claim. Work is linear in the total table
 * size; the first fold of a base table produces an extension table of half its length, later folds
 * are in place.
 *
 * <p>Zero knowledge is a layer on top (DESIGN §4, Libra): a committed masking polynomial is added
 * as one more batched instance with a random coefficient, which this batching already supports.
 */
public final class SumcheckProver {
    private SumcheckProver() {}

    /** The proof together with what it reduces each instance to. */
    public record Result(SumcheckProof proof, List<Subclaim> subclaims) {}

    public static Result prove(SumcheckInstance instance, Transcript t) {
        return prove(List.of(instance), t);
    }

    public static Result prove(List<SumcheckInstance> instances, Transcript t) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no sumcheck instance");
        }
        List<SumcheckClaim> claims = new ArrayList<>();
        for (SumcheckInstance in : instances) {
            claims.add(in.claim());
        }
        return prove(claims, new RoundOracle.LocalOracle(SumcheckChunk.whole(instances)), t);
    }

    /**
     * Proves the batch whose tables the oracle holds; {@code claims} are the instances' shapes and
     * claimed sums in the same order.
     */
    public static Result prove(List<SumcheckClaim> claims, RoundOracle oracle, Transcript t) {
        int n = SumcheckTranscript.maxVars(claims);
        int deg = SumcheckTranscript.maxDegree(claims);
        Fp3 alpha = SumcheckTranscript.begin(t, claims, deg);
        int m = claims.size();
        Fp3[] coef = new Fp3[m];
        Fp3 c = Fp3.ONE;
        for (int i = 0; i < m; i++) {
            coef[i] = c;
            c = c.mul(alpha);
        }
        Fp3[][] rounds = new Fp3[n][];
        Fp3[] challenges = new Fp3[n];
        boolean[] active = new boolean[m];
        for (int round = 0; round < n; round++) {
            Fp3[] msg = new Fp3[deg + 1];
            java.util.Arrays.fill(msg, Fp3.ZERO);
            for (int i = 0; i < m; i++) {
                int join = n - claims.get(i).numVars();
                active[i] = round >= join;
                if (!active[i]) {
                    // not joined yet: the constant S_i 2^(join - round - 1)
                    Fp3 v = coef[i].mul(claims.get(i).claimedSum()).mul(Goldilocks.pow(2, join - round - 1));
                    for (int x = 0; x <= deg; x++) {
                        msg[x] = msg[x].add(v);
                    }
                }
            }
            Fp3[][] e = oracle.roundValues(active, deg);
            for (int i = 0; i < m; i++) {
                if (active[i]) {
                    for (int x = 0; x <= deg; x++) {
                        if (x != 1) {
                            msg[x] = msg[x].add(coef[i].mul(e[i][x]));
                        }
                    }
                }
            }
            Fp3[] sent = new Fp3[deg];
            sent[0] = msg[0];
            for (int x = 2; x <= deg; x++) {
                sent[x - 1] = msg[x];
            }
            rounds[round] = sent;
            Fp3 r = SumcheckTranscript.round(t, sent);
            challenges[round] = r;
            oracle.fold(active, r);
        }
        Fp3[][] finals = new Fp3[m][];
        List<Subclaim> subclaims = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            finals[i] = oracle.finalValues(i);
            subclaims.add(new Subclaim(SumcheckTranscript.instancePoint(challenges, claims.get(i).numVars()), finals[i]));
        }
        SumcheckTranscript.finish(t, finals);
        return new Result(new SumcheckProof(rounds, finals), subclaims);
    }
}
