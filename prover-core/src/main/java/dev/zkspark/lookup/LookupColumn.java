package dev.zkspark.lookup;

/**
 * A witness column looked up in a table: values x (and y for pair tables) of a committed tensor,
 * 2^numVars entries each (a tensor padded to powers of two; its padding must itself be a table
 * entry). The names identify the committed tensors the final claims are about.
 */
public record LookupColumn(String xName, long[] x, String yName, long[] y) {
    public LookupColumn {
        if (Integer.bitCount(x.length) != 1 || (y != null && y.length != x.length)) {
            throw new IllegalArgumentException("lookup column " + xName + ": length must be a power of two (and match y)");
        }
    }

    public static LookupColumn of(String name, long[] x) {
        return new LookupColumn(name, x, null, null);
    }

    public int numVars() {
        return Integer.numberOfTrailingZeros(x.length);
    }

    public Shape shape() {
        return new Shape(xName, yName, numVars());
    }

    /** What the verifier knows of a column. */
    public record Shape(String xName, String yName, int numVars) {}
}
