package dev.zkspark.poly;

import dev.zkspark.field.Fp3;
import java.util.Arrays;

/**
 * A point in F_p^3^n at which a multilinear polynomial is evaluated. Coordinate i binds variable i,
 * and variable i is bit i of the flat little-endian index (DESIGN §3): coordinate 0 is the low bit
 * of the last tensor dimension.
 */
public final class Point implements java.io.Serializable {
    private final Fp3[] coords;

    public Point(Fp3... coords) {
        this.coords = coords.clone();
    }

    public static Point ofBase(long... coords) {
        Fp3[] c = new Fp3[coords.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Fp3.of(coords[i]);
        }
        return new Point(c);
    }

    public int size() {
        return coords.length;
    }

    public Fp3 get(int i) {
        return coords[i];
    }

    public Fp3[] toArray() {
        return coords.clone();
    }

    /** Coordinates [from, to) as a point (the variables from..to-1, renumbered from 0). */
    public Point slice(int from, int to) {
        return new Point(Arrays.copyOfRange(coords, from, to));
    }

    /** This point followed by the coordinates of {@code high} (which become the higher variables). */
    public Point concat(Point high) {
        Fp3[] c = Arrays.copyOf(coords, coords.length + high.coords.length);
        System.arraycopy(high.coords, 0, c, coords.length, high.coords.length);
        return new Point(c);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Point p && Arrays.equals(coords, p.coords);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(coords);
    }

    @Override
    public String toString() {
        return Arrays.toString(coords);
    }
}
