package dev.zkspark.lookup;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.SumcheckProof;

/**
 * Proof of a fractional sum: the root fraction (P, Q) and, per tree layer from the top, the batched
 * sumcheck reducing the layer's claims to the next one down (layer 0 is the two children of the
 * root and needs no sumcheck: its four values are sent directly).
 */
public final class FractionalSumProof {
    static final int MAX_LAYERS = 40;

    final Fp3 rootP;
    final Fp3 rootQ;
    /** Values p(0), p(1), q(0), q(1) of the layer just below the root. */
    final Fp3[] top;
    /** Sumcheck of layer k (k = 1..n-1 counted from the top). */
    final SumcheckProof[] layers;

    FractionalSumProof(Fp3 rootP, Fp3 rootQ, Fp3[] top, SumcheckProof[] layers) {
        this.rootP = rootP;
        this.rootQ = rootQ;
        this.top = top.clone();
        this.layers = layers.clone();
    }

    public Fp3 numerator() {
        return rootP;
    }

    public Fp3 denominator() {
        return rootQ;
    }

    public void write(ByteSink out) {
        out.ext(rootP).ext(rootQ).exts(top);
        out.u32(layers.length);
        for (SumcheckProof p : layers) {
            p.write(out);
        }
    }

    public static FractionalSumProof read(ByteSource in) throws MalformedInputException {
        Fp3 p = in.ext("fraction root p");
        Fp3 q = in.ext("fraction root q");
        Fp3[] top = in.exts("fraction top layer", 4);
        int n = in.count("fraction layers", MAX_LAYERS);
        SumcheckProof[] layers = new SumcheckProof[n];
        for (int i = 0; i < n; i++) {
            layers[i] = SumcheckProof.read(in);
        }
        return new FractionalSumProof(p, q, top, layers);
    }
}
