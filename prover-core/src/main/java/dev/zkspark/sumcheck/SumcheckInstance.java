package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Mle;
import java.util.List;

/**
 * The prover's side of one claim sum_{x in {0,1}^n} g(f_0(x), ..., f_{k-1}(x)) = claimedSum. All
 * tables have the same number of variables n.
 */
public final class SumcheckInstance {
    private final Expression expression;
    private final Mle[] tables;
    private final Fp3 claimedSum;

    public SumcheckInstance(Expression expression, List<Mle> tables, Fp3 claimedSum) {
        if (tables.size() != expression.arity()) {
            throw new IllegalArgumentException("expression arity " + expression.arity() + " but " + tables.size() + " tables");
        }
        int n = tables.get(0).numVars();
        for (Mle t : tables) {
            if (t.numVars() != n) {
                throw new IllegalArgumentException("tables of one instance must share the number of variables");
            }
        }
        this.expression = expression;
        this.tables = tables.toArray(new Mle[0]);
        this.claimedSum = claimedSum;
    }

    /** An instance whose claimed sum is computed from the tables (an O(2^n) pass). */
    public static SumcheckInstance computing(Expression expression, List<Mle> tables) {
        Mle[] ts = tables.toArray(new Mle[0]);
        Fp3 sum = Fp3.ZERO;
        Fp3[] vals = new Fp3[ts.length];
        for (int x = 0; x < ts[0].size(); x++) {
            for (int j = 0; j < ts.length; j++) {
                vals[j] = ts[j].get(x);
            }
            sum = sum.add(expression.evaluate(vals));
        }
        return new SumcheckInstance(expression, tables, sum);
    }

    public Expression expression() {
        return expression;
    }

    public int numVars() {
        return tables[0].numVars();
    }

    public Mle table(int j) {
        return tables[j];
    }

    public int arity() {
        return tables.length;
    }

    public Fp3 claimedSum() {
        return claimedSum;
    }

    /** What the verifier knows of this instance. */
    public SumcheckClaim claim() {
        return new SumcheckClaim(numVars(), expression, claimedSum);
    }
}
