package dev.zkspark.pcs;

/**
 * A committed table's place in a stacked polynomial: entries [offset, offset + 2^numVars) of the big
 * evaluation table, offset a multiple of 2^numVars (aligned), so the table's extension at p is the
 * big polynomial's at (p, offset's high bits).
 *
 * <p>The table is either a whole tensor ({@code name} equals {@code tensor}) or one <i>piece</i> of
 * a zero-padded tensor of 2^tensorVars entries ({@link Piece}): the entries whose index has the bits
 * {@code fixed} outside {@code freeMask}, in index order (local index i holds the entry whose free
 * bits, read in increasing position, are i). A tensor committed as pieces is zero everywhere else.
 */
public record Region(String name, int numVars, long offset, String tensor, int tensorVars, long freeMask, long fixed) {
    public Region {
        if (Long.bitCount(freeMask) != numVars || (fixed & freeMask) != 0 || tensorVars < numVars || tensorVars > 62
                || (freeMask >>> tensorVars) != 0 || (fixed >>> tensorVars) != 0) {
            throw new IllegalArgumentException("region " + name + ": inconsistent piece of " + tensor);
        }
    }

    /** A whole tensor of 2^numVars entries. */
    public Region(String name, int numVars, long offset) {
        this(name, numVars, offset, name, numVars, (1L << numVars) - 1, 0);
    }

    /** Whether this region is one piece of a zero-padded tensor (not the whole tensor). */
    public boolean isPiece() {
        return !name.equals(tensor);
    }

    /** This region's piece of its tensor. */
    public Piece piece() {
        return new Piece(freeMask, fixed);
    }
}
