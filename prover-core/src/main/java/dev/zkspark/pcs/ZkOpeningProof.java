package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.field.Fp3;
import java.util.ArrayList;
import java.util.List;

/**
 * The zero-knowledge opening of linear claims over several commitments ({@link TensorCodePcs#openZk}).
 * Layout, in write order:
 *
 * <pre>
 *   H                      ext       sum of the Libra mask G_mask over {0,1}^n
 *   rounds                 u32 n, then n x (u32 2, ext s_j(0), ext s_j(2))
 *   finals                 u32 K, ext P_k(rho_k) per commitment
 *   G_mask(rho)            ext
 *   openings               u32 K + 1, one tensor-code opening per commitment, then the batch mask's:
 *                            ext y_R, exts v, exts u, u32 q, q x (fields column, 16-byte salt,
 *                            u8 depth, depth x 32-byte node)
 *   companion columns      u32 C (the number of commitments opened with a companion), then per
 *                            such commitment in order: u32 q, q x (fields column, salt, path)
 * </pre>
 *
 * With companions the rounds are n + 1 (the b variable last).
 *
 * Immutable: arrays are copied in and never handed out.
 */
public final class ZkOpeningProof {
    /** PcsParams allows at most 60 variables. */
    static final int MAX_ROUNDS = 64;
    static final int MAX_COMMITMENTS = 64;

    private final Fp3 maskSum;
    private final Fp3[][] rounds;
    private final Fp3[] finals;
    private final Fp3 maskEval;
    private final LigeroOpening[] openings;
    private final ColumnSet[] companions;

    ZkOpeningProof(Fp3 maskSum, Fp3[][] rounds, Fp3[] finals, Fp3 maskEval, LigeroOpening[] openings, ColumnSet[] companions) {
        this.maskSum = maskSum;
        this.rounds = deep(rounds);
        this.finals = finals.clone();
        this.maskEval = maskEval;
        this.openings = openings.clone();
        this.companions = companions.clone();
    }

    int numCompanions() {
        return companions.length;
    }

    ColumnSet companion(int c) {
        return companions[c];
    }

    Fp3 maskSum() {
        return maskSum;
    }

    int numRounds() {
        return rounds.length;
    }

    Fp3[] round(int j) {
        return rounds[j].clone();
    }

    int numFinals() {
        return finals.length;
    }

    Fp3 finalValue(int k) {
        return finals[k];
    }

    Fp3[] finals() {
        return finals.clone();
    }

    Fp3 maskEval() {
        return maskEval;
    }

    int numOpenings() {
        return openings.length;
    }

    LigeroOpening opening(int k) {
        return openings[k];
    }

    public void write(ByteSink out) {
        out.ext(maskSum);
        out.u32(rounds.length);
        for (Fp3[] r : rounds) {
            out.exts(r);
        }
        out.exts(finals);
        out.ext(maskEval);
        out.u32(openings.length);
        for (LigeroOpening o : openings) {
            o.write(out);
        }
        out.u32(companions.length);
        for (ColumnSet c : companions) {
            c.write(out);
        }
    }

    public byte[] toBytes() {
        ByteSink s = new ByteSink();
        write(s);
        return s.toByteArray();
    }

    public int byteSize() {
        ByteSink s = new ByteSink();
        write(s);
        return s.size();
    }

    /**
     * Reads a proof. Counts are bounded by protocol constants and every allocation by the bytes
     * present, so hostile input cannot allocate much; shapes are checked against the commitments by
     * {@link TensorCodePcs#verifyZk}.
     */
    public static ZkOpeningProof read(ByteSource in) throws MalformedInputException {
        Fp3 h = in.ext("pcs zk mask sum");
        int n = in.count("pcs zk rounds", MAX_ROUNDS);
        Fp3[][] rounds = new Fp3[n][];
        for (int j = 0; j < n; j++) {
            rounds[j] = in.exts("pcs zk round", 2);
        }
        Fp3[] finals = in.exts("pcs zk final values", MAX_COMMITMENTS);
        Fp3 g = in.ext("pcs zk mask evaluation");
        int m = in.count("pcs zk openings", MAX_COMMITMENTS + 1);
        LigeroOpening[] openings = new LigeroOpening[m];
        for (int k = 0; k < m; k++) {
            openings[k] = LigeroOpening.read(in);
        }
        int nc = in.count("pcs zk companions", MAX_COMMITMENTS);
        ColumnSet[] comps = new ColumnSet[nc];
        for (int c = 0; c < nc; c++) {
            comps[c] = ColumnSet.read(in);
        }
        return new ZkOpeningProof(h, rounds, finals, g, openings, comps);
    }

    /**
     * Every field element the proof reveals, in proof order: H, the round values, the finals,
     * G_mask(rho), then per opening y_R, v, u and the column entries, then the companions' column entries (base-field entries lifted to
     * F_p^3, so only their c0 coordinate is meaningful). Salts and Merkle nodes are not listed.
     */
    public List<Fp3> revealed() {
        List<Fp3> out = new ArrayList<>();
        out.add(maskSum);
        for (Fp3[] r : rounds) {
            out.addAll(List.of(r));
        }
        out.addAll(List.of(finals));
        out.add(maskEval);
        for (LigeroOpening o : openings) {
            o.addRevealed(out);
        }
        for (ColumnSet c : companions) {
            c.addRevealed(out);
        }
        return out;
    }

    // ---------------------------------------------------------------- tampered copies (tests)

    ZkOpeningProof withMaskSum(Fp3 v) {
        return new ZkOpeningProof(v, rounds, finals, maskEval, openings, companions);
    }

    ZkOpeningProof withRound(int j, int i, Fp3 v) {
        Fp3[][] r = deep(rounds);
        r[j][i] = v;
        return new ZkOpeningProof(maskSum, r, finals, maskEval, openings, companions);
    }

    ZkOpeningProof withFinal(int k, Fp3 v) {
        Fp3[] f = finals.clone();
        f[k] = v;
        return new ZkOpeningProof(maskSum, rounds, f, maskEval, openings, companions);
    }

    ZkOpeningProof withMaskEval(Fp3 v) {
        return new ZkOpeningProof(maskSum, rounds, finals, v, openings, companions);
    }

    ZkOpeningProof withOpening(int k, LigeroOpening o) {
        LigeroOpening[] os = openings.clone();
        os[k] = o;
        return new ZkOpeningProof(maskSum, rounds, finals, maskEval, os, companions);
    }

    ZkOpeningProof withCompanion(int c, ColumnSet set) {
        ColumnSet[] cs = companions.clone();
        cs[c] = set;
        return new ZkOpeningProof(maskSum, rounds, finals, maskEval, openings, cs);
    }

    private static Fp3[][] deep(Fp3[][] a) {
        Fp3[][] c = new Fp3[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
