package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;

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
                switch (lay.kinds.get(j)) {
                    case EQ -> {
                        Fp3[] rhoEq = new Fp3[lay.eqPoint().size()];
                        int off = 0;
                        for (var a : relations.get(ri).eqAxes()) {
                            System.arraycopy(coords.get(a.name()), 0, rhoEq, off, a.bits());
                            off += a.bits();
                        }
                        if (!Mle.eq(lay.eqPoint(), new dev.zkspark.poly.Point(rhoEq)).equals(v)) {
                            return Checked.reject(relations.get(ri).name() + ": eq evaluation is wrong");
                        }
                    }
                    case ONES -> {
                        if (!v.equals(Fp3.ONE)) {
                            return Checked.reject(relations.get(ri).name() + ": constant table evaluation is wrong");
                        }
                    }
                    case FACTOR -> {
                        Relation.Factor f = lay.factors.get(j);
                        if (f instanceof Relation.Public p) {
                            Fp3 expect = Mle.base(p.values()).evaluate(RelationLayout.tensorPoint(p, coords));
                            if (!expect.equals(v)) {
                                return Checked.reject(relations.get(ri).name() + ": public tensor " + p.spec().name()
                                        + " evaluation is wrong");
                            }
                        } else {
                            claims.add(new Claim(f.spec().name(), RelationLayout.tensorPoint(f, coords), v));
                        }
                    }
                }
            }
        }
        return new Checked(Verdict.accept(), claims);
    }
}
