package dev.zkspark.lookup;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.ZkSumcheck;
import java.util.ArrayList;
import java.util.List;

/**
 * A zero-knowledge logUp-GKR proof ({@link LogUp#proveZk}): the 0-variable ZkSumcheck equating the
 * two trees' sums over their hidden top values, then one ZkSumcheck per layer of the witness tree
 * (top down, 2^1 .. 2^(n-1) nodes), then the same for the table tree. No root, top value, column
 * evaluation or multiplicity evaluation is in it: every value is masked (see {@link FractionalSum}).
 */
public final class LogUpZkProof {
    final ZkSumcheck.Proof roots;
    final ZkSumcheck.Proof[] witnessLayers;
    final ZkSumcheck.Proof[] tableLayers;

    LogUpZkProof(ZkSumcheck.Proof roots, ZkSumcheck.Proof[] witnessLayers, ZkSumcheck.Proof[] tableLayers) {
        this.roots = roots;
        this.witnessLayers = witnessLayers.clone();
        this.tableLayers = tableLayers.clone();
    }

    public void write(ByteSink out) {
        roots.write(out);
        out.u32(witnessLayers.length);
        for (ZkSumcheck.Proof p : witnessLayers) {
            p.write(out);
        }
        out.u32(tableLayers.length);
        for (ZkSumcheck.Proof p : tableLayers) {
            p.write(out);
        }
    }

    public static LogUpZkProof read(ByteSource in) throws MalformedInputException {
        ZkSumcheck.Proof roots = ZkSumcheck.Proof.read(in);
        ZkSumcheck.Proof[] w = layers(in, "lookup witness tree layers");
        ZkSumcheck.Proof[] t = layers(in, "lookup table tree layers");
        return new LogUpZkProof(roots, w, t);
    }

    private static ZkSumcheck.Proof[] layers(ByteSource in, String what) throws MalformedInputException {
        int n = in.count(what, FractionalSumProof.MAX_LAYERS);
        ZkSumcheck.Proof[] out = new ZkSumcheck.Proof[n];
        for (int i = 0; i < n; i++) {
            out[i] = ZkSumcheck.Proof.read(in);
        }
        return out;
    }

    /** Every revealed field element, in proof order (statistical tests, leak scans). */
    public List<Fp3> revealed() {
        List<Fp3> out = new ArrayList<>(roots.revealed());
        for (ZkSumcheck.Proof p : witnessLayers) {
            out.addAll(p.revealed());
        }
        for (ZkSumcheck.Proof p : tableLayers) {
            out.addAll(p.revealed());
        }
        return out;
    }

    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }
}
