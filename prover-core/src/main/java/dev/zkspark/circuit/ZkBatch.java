package dev.zkspark.circuit;

import dev.zkspark.core.Verdict;
import dev.zkspark.field.Fp3;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.sumcheck.Masked;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What prover and verifier of a zero-knowledge relation batch derive alike: per relation its
 * right-hand instance (coefficient -alpha^r) and, if it has a left side, its left-hand instance
 * (coefficient alpha^r) over the free axes; and how the sumcheck's outcome becomes claims.
 */
final class ZkBatch {
    final List<RelationLayout> layouts = new ArrayList<>();
    final List<ZkSumcheck.Shape> shapes = new ArrayList<>();

    private ZkBatch() {}

    static ZkBatch of(List<Relation> relations, Transcript t) {
        List<RelationLayout> rhs = new ArrayList<>();
        for (Relation r : relations) {
            rhs.add(new RelationLayout(r, t));
        }
        Fp3 alpha = relations.size() == 1 ? Fp3.ONE : t.challengeExt("relation/zk-batch");
        return build(rhs, alpha);
    }

    static ZkBatch shapesOnly(List<Relation> relations) {
        List<RelationLayout> rhs = new ArrayList<>();
        for (Relation r : relations) {
            rhs.add(new RelationLayout(r, RelationLayout.zeroPoint(r)));
        }
        return build(rhs, Fp3.ONE);
    }

    private static ZkBatch build(List<RelationLayout> rhs, Fp3 alpha) {
        ZkBatch b = new ZkBatch();
        Fp3 c = Fp3.ONE;
        for (RelationLayout lay : rhs) {
            b.add(lay, c.neg());
            if (!lay.rel.lhs().isEmpty()) {
                RelationLayout l = lay.lhsLayout();
                b.add(l, c);
            }
            c = c.mul(alpha);
        }
        return b;
    }

    private void add(RelationLayout lay, Fp3 coeff) {
        boolean[] hidden = new boolean[lay.kinds.size()];
        for (int j = 0; j < hidden.length; j++) {
            hidden[j] = lay.kinds.get(j) == RelationLayout.Kind.FACTOR && lay.factors.get(j) instanceof Relation.Committed;
        }
        layouts.add(lay);
        shapes.add(new ZkSumcheck.Shape(lay.rel.domainVars(), lay.expression, hidden, coeff));
    }

    /** Claims on committed tensors (masked finals) and on the masks (the sumcheck's own). */
    List<LinearClaim> claims(ZkSumcheck.Outcome o, String maskTensor) {
        List<LinearClaim> out = new ArrayList<>();
        for (int i = 0; i < layouts.size(); i++) {
            RelationLayout lay = layouts.get(i);
            Map<String, Fp3[]> coords = lay.finalCoords(o.points().get(i));
            Masked[] f = o.finals().get(i);
            for (int j = 0; j < f.length; j++) {
                if (lay.kinds.get(j) == RelationLayout.Kind.FACTOR && lay.factors.get(j) instanceof Relation.Committed cf) {
                    out.add(f[j].claimOn(cf.spec().name(), RelationLayout.tensorPoint(cf, coords), maskTensor));
                }
            }
        }
        out.addAll(o.maskClaims());
        return out;
    }

    /** The verifier's checks of the public tables' final values (eq, constants, public tensors). */
    Verdict checkPublic(ZkSumcheck.Outcome o) {
        for (int i = 0; i < layouts.size(); i++) {
            RelationLayout lay = layouts.get(i);
            Map<String, Fp3[]> coords = lay.finalCoords(o.points().get(i));
            Masked[] f = o.finals().get(i);
            for (int j = 0; j < f.length; j++) {
                String bad = RelationVerifier.checkPublicValue(lay, coords, j, f[j].revealed());
                if (bad != null) {
                    return Verdict.reject(bad);
                }
            }
        }
        return Verdict.accept();
    }
}
