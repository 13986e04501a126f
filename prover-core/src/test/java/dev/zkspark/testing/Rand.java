package dev.zkspark.testing;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Point;
import java.util.SplittableRandom;

/** Seeded random field values for tests. */
public final class Rand {
    private Rand() {}

    public static Fp3 ext(SplittableRandom r) {
        return new Fp3(Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()), Goldilocks.reduce(r.nextLong()));
    }

    public static Point point(SplittableRandom r, int n) {
        Fp3[] c = new Fp3[n];
        for (int i = 0; i < n; i++) {
            c[i] = ext(r);
        }
        return new Point(c);
    }

    /** n signed integers in [-bound, bound], field-embedded. */
    public static long[] small(SplittableRandom r, int n, int bound) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = Goldilocks.fromSigned(r.nextInt(2 * bound + 1) - bound);
        }
        return a;
    }
}
