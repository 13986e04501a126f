package dev.zkspark.circuit;

import java.util.List;

/**
 * A tensor as the circuit sees it: a name and named axes, listed from the outermost (row-major
 * slowest) to the innermost, each of 2^bits entries. Its multilinear extension uses little-endian
 * variables (DESIGN §3): the innermost axis holds variables 0..bits-1. Declaring one memory layout
 * with finer axes (a [T, H*hd] tensor as axes t, g, r, e) costs nothing; transposes are renamings.
 */
public record TensorSpec(String name, List<Axis> axes) {

    /** A named axis of 2^bits entries. */
    public record Axis(String name, int bits) {
        public Axis {
            if (bits < 0 || bits > 30) {
                throw new IllegalArgumentException("axis " + name + ": bits " + bits);
            }
        }
    }

    public TensorSpec {
        axes = List.copyOf(axes);
        for (int i = 0; i < axes.size(); i++) {
            for (int j = i + 1; j < axes.size(); j++) {
                if (axes.get(i).name().equals(axes.get(j).name())) {
                    throw new IllegalArgumentException("tensor " + name + " repeats axis " + axes.get(i).name());
                }
            }
        }
    }

    public static TensorSpec of(String name, Axis... axes) {
        return new TensorSpec(name, List.of(axes));
    }

    public int numVars() {
        int n = 0;
        for (Axis a : axes) {
            n += a.bits();
        }
        return n;
    }

    public int size() {
        return 1 << numVars();
    }

    /** The lowest variable index of axis k (little-endian: the last axis starts at 0). */
    public int offset(int k) {
        int off = 0;
        for (int i = axes.size() - 1; i > k; i--) {
            off += axes.get(i).bits();
        }
        return off;
    }

    public int indexOf(String axis) {
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).name().equals(axis)) {
                return i;
            }
        }
        return -1;
    }
}
