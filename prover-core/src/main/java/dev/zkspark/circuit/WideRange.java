package dev.zkspark.circuit;

import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.LookupColumn;
import java.util.ArrayList;
import java.util.List;

/**
 * Range checks wider than one table: v in [lo, lo + 2^(k L)) is proved by limbs l_0..l_{L-1}, each in
 * the range table [0, 2^k), with v - lo = sum_i 2^(k i) l_i checked as a {@link PointIdentity}
 * (coefficients 1, -1, -2^k, ..., on (v - lo, l_0, l_1, ...)); the limbs are witness tensors.
 * Since each limb is below 2^k and k L &lt;= 62, the sum cannot wrap modulo p, so the identity in the
 * field is the identity over the integers.
 */
public final class WideRange {
    private WideRange() {}

    /** Limbs of (v - lo) for every entry (v field-embedded signed integers). */
    public static long[][] limbs(long[] v, long lo, int k, int count) {
        if (k * count > 62) {
            throw new IllegalArgumentException("limbs cover at most 62 bits");
        }
        long[][] out = new long[count][v.length];
        for (int i = 0; i < v.length; i++) {
            long x = Goldilocks.toSigned(v[i]) - lo;
            if (x < 0 || (k * count < 63 && x >= (1L << (k * count)))) {
                throw new IllegalArgumentException("value " + (x + lo) + " outside [" + lo + ", " + lo + " + 2^" + (k * count) + ")");
            }
            for (int j = 0; j < count; j++) {
                out[j][i] = (x >>> (k * j)) & ((1L << k) - 1);
            }
        }
        return out;
    }

    /** The shifted tensor v - lo (the identity's first tensor). */
    public static long[] shifted(long[] v, long lo) {
        long[] s = new long[v.length];
        long l = Goldilocks.fromSigned(lo);
        for (int i = 0; i < v.length; i++) {
            s[i] = Goldilocks.sub(v[i], l);
        }
        return s;
    }

    /** Coefficients of the identity on (v - lo, l_0, ..., l_{count-1}). */
    public static long[] coefficients(int k, int count) {
        long[] c = new long[count + 1];
        c[0] = 1;
        for (int j = 0; j < count; j++) {
            c[j + 1] = -(1L << (k * j));
        }
        return c;
    }

    /** One lookup column per limb, for the shared range table [0, 2^k). */
    public static List<LookupColumn> columns(String name, long[][] limbs) {
        List<LookupColumn> cols = new ArrayList<>();
        for (int j = 0; j < limbs.length; j++) {
            cols.add(LookupColumn.of(limbName(name, j), limbs[j]));
        }
        return cols;
    }

    public static String limbName(String name, int j) {
        return name + ".limb" + j;
    }
}
