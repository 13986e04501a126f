package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;

/**
 * The verifier's side of one sumcheck instance: the number of variables, the expression (fixed by
 * the protocol that uses the sumcheck) and the claimed sum.
 */
public record SumcheckClaim(int numVars, Expression expression, Fp3 claimedSum) {
    public SumcheckClaim {
        if (numVars < 0 || numVars > 40) {
            throw new IllegalArgumentException("numVars out of range: " + numVars);
        }
    }
}
