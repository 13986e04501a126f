package dev.zkspark.circuit;

import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.lookup.Table;
import java.util.function.LongUnaryOperator;

/**
 * y = f(x) through a function table (SiLU, exp segments, reciprocal square root): the pairs (x_i, y_i)
 * become one lookup column of the table's shared logUp, whose claims bind the committed x and y.
 * Soundness is the lookup's (see {@link dev.zkspark.lookup.LogUp}).
 */
public final class FunctionApply {
    private FunctionApply() {}

    /** y_i = f(x_i) on field-embedded signed integers. */
    public static long[] compute(long[] x, LongUnaryOperator f) {
        long[] y = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = dev.zkspark.field.Goldilocks.fromSigned(f.applyAsLong(dev.zkspark.field.Goldilocks.toSigned(x[i])));
        }
        return y;
    }

    /** The lookup column proving y = f(x) entry by entry in {@code table}. */
    public static LookupColumn column(Table table, String xName, long[] x, String yName, long[] y) {
        if (!table.isPairs()) {
            throw new IllegalArgumentException("function application needs a table of pairs, got " + table.name());
        }
        return new LookupColumn(xName, x, yName, y);
    }
}
