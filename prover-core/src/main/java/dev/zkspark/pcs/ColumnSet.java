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
 * {@link LigeroOpening}. Layout: u32 q, then q x (fields column, 16-byte salt, u8 depth, u8 own,
 * if own &lt; depth a u16 ref, own x 32-byte node). Immutable.
 *
 * <p><b>Shared path tops.</b> Paths of leaves in the same subtree end in the same nodes: q paths
 * into 2^d leaves have about q (d - log2 q) distinct nodes, not q d. Column k sends only its
 * lowest {@code own} nodes; the rest are those of the earlier column {@code ref} at the same
 * levels. The verifier still walks every column's whole path to the root, so this is an encoding
 * only: a wrong reference gives a wrong path, rejected like any other wrong node. The encoding is
 * unique (fewest own nodes, then the first such column) and the reader refuses any other form of
 * the same paths, so no byte of a proof can change without the proof being refused.
 */
final class ColumnSet {
    private static final int MAX_DEPTH = 30;
    private static final int MIN_COLUMN_BYTES = 4 + TensorCodePcs.SALT_BYTES + 2;
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
        PathTops tops = new PathTops();
        for (int q = 0; q < columns.length; q++) {
            out.fields(columns[q]);
            out.bytes(salts[q]);
            int depth = paths[q].length;
            int[] shared = tops.add(paths[q], q);
            int own = shared[0];
            int ref = shared[1];
            out.u8(depth).u8(own);
            if (own < depth) {
                out.u8(ref & 0xff).u8(ref >>> 8);
            }
            for (int d = 0; d < own; d++) {
                out.bytes(paths[q][d]);
            }
        }
    }

    /**
     * The one encoding of each path (so a proof has one byte form), in O(depth) per path: a trie of
     * the path tops seen so far, keyed top-down by (depth, node at each level). {@link #add} gives
     * {own, ref}: own the fewest own nodes any earlier path leaves (its nodes from level own up
     * equal an earlier path's), ref the first earlier column with that top; {depth, -1} when none
     * shares even the top node. Hostile input cannot make this quadratic in the column count.
     */
    private static final class PathTops {
        private record Key(int parent, java.nio.ByteBuffer node) {}

        private final java.util.HashMap<Key, Integer> ids = new java.util.HashMap<>();
        /** The first column through each trie node (by id). */
        private final List<Integer> first = new java.util.ArrayList<>();

        int[] add(byte[][] path, int column) {
            int depth = path.length;
            int id = -1 - depth; // a root per path length: paths of other lengths share nothing
            int own = depth;
            int ref = -1;
            for (int d = depth - 1; d >= 0; d--) {
                Key k = new Key(id, java.nio.ByteBuffer.wrap(path[d]));
                Integer next = ids.get(k);
                if (next == null) {
                    next = first.size();
                    ids.put(k, next);
                    first.add(column);
                } else if (own == d + 1) {
                    own = d;
                    ref = first.get(next);
                }
                id = next;
            }
            return new int[] {own, ref};
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
        PathTops tops = new PathTops();
        for (int i = 0; i < q; i++) {
            cols[i] = in.fields(what + " column", maxHeight);
            salts[i] = in.bytes(what + " salt", TensorCodePcs.SALT_BYTES);
            paths[i] = readPath(in, what, paths, i, tops);
        }
        return new ColumnSet(cols, salts, paths);
    }

    /** Column i's path: its own nodes, then the top of an earlier column's path (layout above). */
    private static byte[][] readPath(ByteSource in, String what, byte[][][] earlier, int i, PathTops tops)
            throws MalformedInputException {
        int depth = in.u8(what + " path length");
        if (depth > MAX_DEPTH) {
            throw new MalformedInputException(what + " Merkle path has " + depth + " nodes, at most " + MAX_DEPTH);
        }
        int own = in.u8(what + " path own nodes");
        if (own > depth) {
            throw new MalformedInputException(what + " Merkle path has " + own + " own nodes of " + depth);
        }
        byte[][] path = new byte[depth][];
        int ref = -1;
        if (own < depth) {
            ref = in.u8(what + " path reference") | (in.u8(what + " path reference") << 8);
            if (ref >= i || earlier[ref].length != depth) {
                throw new MalformedInputException(what + " Merkle path of column " + i + " refers to column " + ref
                        + ", which is not an earlier path of the same length");
            }
            for (int d = own; d < depth; d++) {
                path[d] = earlier[ref][d];
            }
        }
        for (int d = 0; d < own; d++) {
            path[d] = in.bytes(what + " path node", 32);
        }
        int[] canonical = tops.add(path, i);
        if (canonical[0] != own || (own < depth && canonical[1] != ref)) {
            // another encoding of the same path: refused, so a proof's bytes are unique
            throw new MalformedInputException(what + " Merkle path of column " + i + " is not in its shortest encoding");
        }
        return path;
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
