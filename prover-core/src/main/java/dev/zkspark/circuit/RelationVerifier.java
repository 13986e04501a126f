package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.Masked;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Verifies a {@link RelationProof}: replays the random points, checks the batched sumcheck, checks
 * eq and public tables at its final point itself, and returns the claims on committed tensors that
 * the openings must discharge. Never throws on a malformed proof: rejects with the relation named.
 */
public final class RelationVerifier {
    private RelationVerifier() {}

    public record Checked(Verdict verdict, List<Claim> claims) {
        static Checked reject(String why) {
            return new Checked(Verdict.reject(why), List.of());
        }
    }

    /**
     * The verifier's check of table j's final value when it is public (eq, constant, public
     * tensor): null if it is right or the table is committed, else the reason.
     */
    static String checkPublicValue(RelationLayout lay, Map<String, Fp3[]> coords, int j, Fp3 v) {
        switch (lay.kinds.get(j)) {
            case EQ -> {
                Fp3[] rhoEq = new Fp3[lay.eqPoint().size()];
                int off = 0;
                for (var a : lay.rel.eqAxes()) {
                    System.arraycopy(coords.get(a.name()), 0, rhoEq, off, a.bits());
                    off += a.bits();
                }
                return Mle.eq(lay.eqPoint(), new dev.zkspark.poly.Point(rhoEq)).equals(v) ? null : lay.rel.name() + ": eq evaluation is wrong";
            }
            case ONES -> {
                return v.equals(Fp3.ONE) ? null : lay.rel.name() + ": constant table evaluation is wrong";
            }
            default -> {
                if (lay.factors.get(j) instanceof Relation.Public p) {
                    Fp3 expect = Mle.base(p.values()).evaluate(RelationLayout.tensorPoint(p, coords));
                    return expect.equals(v) ? null : lay.rel.name() + ": public tensor " + p.spec().name() + " evaluation is wrong";
                }
                return null;
            }
        }
    }

    /** The outcome of a zero-knowledge verification: a verdict and the linear claims to discharge. */
    public record CheckedZk(Verdict verdict, List<LinearClaim> claims) {}

    /** Verifies {@link RelationProver#proveZk}'s proof; never throws on a malformed proof. */
    public static CheckedZk verifyZk(List<Relation> relations, ZkSumcheck.Proof proof, ZkMasks masks, Transcript t) {
        if (relations.isEmpty()) {
            return new CheckedZk(Verdict.reject("no relations"), List.of());
        }
        ZkBatch batch = ZkBatch.of(relations, t);
        ZkSumcheck.Checked c = ZkSumcheck.verify(batch.shapes, proof, Masked.clear(Fp3.ZERO), masks, ZkSumcheck.Coins.of(t));
        if (!c.verdict().isAccepted()) {
            return new CheckedZk(c.verdict(), List.of());
        }
        Verdict pub = batch.checkPublic(c.outcome());
        if (!pub.isAccepted()) {
            return new CheckedZk(pub, List.of());
        }
        return new CheckedZk(Verdict.accept(), batch.claims(c.outcome(), masks.tensor()));
    }

    public static Checked verify(List<Relation> relations, RelationProof proof, Transcript t) {
        if (relations.isEmpty()) {
            return Checked.reject("no relations");
        }
        if (proof.lhsValues().length != relations.size()) {
            return Checked.reject("expected " + relations.size() + " relations, proof has " + proof.lhsValues().length);
        }
        List<RelationLayout> layouts = new ArrayList<>();
        List<SumcheckClaim> sc = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        for (int ri = 0; ri < relations.size(); ri++) {
            Relation r = relations.get(ri);
            RelationLayout lay = new RelationLayout(r, t);
            layouts.add(lay);
            Fp3[] lv = proof.lhsValues()[ri];
            if (lv.length != r.lhs().size()) {
                return Checked.reject(r.name() + ": expected " + r.lhs().size() + " left-hand values, got " + lv.length);
            }
            Fp3 claimed = Fp3.ZERO;
            for (int k = 0; k < lv.length; k++) {
                Relation.Lhs l = r.lhs().get(k);
                claims.add(new Claim(l.view().spec().name(), RelationLayout.tensorPoint(l.view(), lay.u), lv[k]));
                claimed = claimed.add(lv[k].mul(Fp3.ofSigned(l.coeff())));
            }
            t.absorbExt("relation/lhs", lv);
            sc.add(new SumcheckClaim(r.domainVars(), lay.expression, claimed));
        }
        SumcheckVerifier.Result res = SumcheckVerifier.verify(sc, proof.sumcheck(), t);
        if (!res.verdict().isAccepted()) {
            return Checked.reject(res.verdict().reason());
        }
        for (int ri = 0; ri < relations.size(); ri++) {
            RelationLayout lay = layouts.get(ri);
            Subclaim sub = res.subclaims().get(ri);
            var coords = lay.finalCoords(sub.point());
            for (int j = 0; j < lay.kinds.size(); j++) {
                Fp3 v = sub.value(j);
                String bad = checkPublicValue(lay, coords, j, v);
                if (bad != null) {
                    return Checked.reject(bad);
                }
                if (lay.kinds.get(j) == RelationLayout.Kind.FACTOR && lay.factors.get(j) instanceof Relation.Committed f) {
                    claims.add(new Claim(f.spec().name(), RelationLayout.tensorPoint(f, coords), v));
                }
            }
        }
        return new Checked(Verdict.accept(), claims);
    }
}
