package dev.zkspark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Point;

/**
 * What a sumcheck reduces one instance to: table j of the instance evaluates to values[j] at
 * {@code point}. The caller must discharge each value: against a commitment opening, by computing it
 * itself (eq tables, public tables), or as the claim of a next sumcheck.
 */
public record Subclaim(Point point, Fp3[] values) {
    public Subclaim {
        values = values.clone();
    }

    public Fp3 value(int j) {
        return values[j];
    }

    @Override
    public Fp3[] values() {
        return values.clone();
    }
}
