package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import java.util.List;

/**
 * Queried columns of one commitment with their salts and Merkle paths, without rows: the
 * companion's part of a zero-knowledge opening ({@link TensorCodePcs#commitCompanion}), whose
 * columns are opened at the same indices as its commitment's, and the columns part of every
 * {@link LigeroOpening}. Layout: u32 q, then q x (fields column, 16-byte salt, u8 depth,
 * depth x 32-byte node). Immutable.
 */
final class ColumnSet {
    private static final int MAX_DEPTH = 30;
    private static final int MIN_COLUMN_BYTES = 4 + TensorCodePcs.SALT_BYTES + 1;
    /** A companion has 2^3 + 2 rows; anything taller is malformed. */
    private static final int MAX_HEIGHT = 1 << 10;

    private final long[][] columns;
    private final byte[][] salts;
    private final byte[][][] paths;

    ColumnSet(long[][] columns, byte[][] salts, byte[][][] paths) {
        this.columns = new long[columns.length][];
        this.salts = new byte[salts.length][];
        this.paths = new byte[paths.length][][];
        for (int i = 0; i < columns.length; i++) {
            this.columns[i] = columns[i].clone();
            this.salts[i] = salts[i].clone();
            this.paths[i] = new byte[paths[i].length][];
            for (int d = 0; d < paths[i].length; d++) {
                this.paths[i][d] = paths[i][d].clone();
            }
        }
    }

    int numColumns() {
        return columns.length;
    }

    long[] column(int k) {
        return columns[k].clone();
    }

    byte[] salt(int k) {
        return salts[k].clone();
    }

    byte[][] path(int k) {
        byte[][] p = new byte[paths[k].length][];
        for (int d = 0; d < p.length; d++) {
            p[d] = paths[k][d].clone();
        }
        return p;
    }

    void write(ByteSink out) {
        out.u32(columns.length);
        for (int q = 0; q < columns.length; q++) {
            out.fields(columns[q]);
            out.bytes(salts[q]);
            out.u8(paths[q].length);
            for (byte[] node : paths[q]) {
                out.bytes(node);
            }
        }
    }

    /** Reads a companion's column set; every allocation is bounded by the bytes present. */
    static ColumnSet read(ByteSource in) throws MalformedInputException {
        return read(in, MAX_HEIGHT, "pcs companion");
    }

    /**
     * Reads a column set whose columns have at most {@code maxHeight} entries (the shape is checked
     * later against the commitment); {@code what} names it in errors.
     */
    static ColumnSet read(ByteSource in, int maxHeight, String what) throws MalformedInputException {
        int q = in.count(what + " queried columns", 1 << 16);
        if ((long) q * MIN_COLUMN_BYTES > in.remaining()) {
            throw new MalformedInputException("truncated: " + q + " " + what + " columns cannot fit in " + in.remaining() + " bytes");
        }
        long[][] cols = new long[q][];
        byte[][] salts = new byte[q][];
        byte[][][] paths = new byte[q][][];
        for (int i = 0; i < q; i++) {
            cols[i] = in.fields(what + " column", maxHeight);
            salts[i] = in.bytes(what + " salt", TensorCodePcs.SALT_BYTES);
            int depth = in.u8(what + " path length");
            if (depth > MAX_DEPTH) {
                throw new MalformedInputException(what + " Merkle path has " + depth + " nodes, at most " + MAX_DEPTH);
            }
            paths[i] = new byte[depth][];
            for (int d = 0; d < depth; d++) {
                paths[i][d] = in.bytes(what + " path node", 32);
            }
        }
        return new ColumnSet(cols, salts, paths);
    }

    /** The column entries (base entries lifted to F_p^3). */
    void addRevealed(List<Fp3> out) {
        for (long[] c : columns) {
            for (long v : c) {
                out.add(Fp3.of(v));
            }
        }
    }

    /** A copy with one entry changed (tests). */
    ColumnSet withColumnEntry(int k, int i, long v) {
        long[][] c = new long[columns.length][];
        for (int x = 0; x < c.length; x++) {
            c[x] = columns[x].clone();
        }
        c[k][i] = v;
        return new ColumnSet(c, salts, paths);
    }
}
