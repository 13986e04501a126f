package dev.zkspark.lookup;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Point;
import dev.zkspark.sumcheck.RoundOracle;

/**
 * A GKR fraction tree over 2^n leaves as the descent of {@link FractionalSum} uses it: the two
 * children of the root, then one layer oracle per layer from k = n-1 down to 1 (in that order, each
 * asked once). In one JVM ({@link FractionalSum}'s tree) or split into blocks of leaves
 * ({@link SplitFractionTree}); every form yields the same round values, so the same proof bytes.
 */
public interface FractionTree {
    /** n: the tree has 2^n leaves. */
    int numVars();

    /** p(0), p(1), q(0), q(1) of layer n-1 (the root's children). */
    Fp3[] top();

    /**
     * The round oracle of layer k's sumcheck (2^(n-k) nodes, children on layer k-1) at point r
     * (n-k coordinates) with the layer's lambda and true claim p~(r) + lambda q~(r).
     */
    RoundOracle layer(int k, Point r, Fp3 lambda, Fp3 claim);
}
