package dev.zkspark.circuit;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.Claim;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Mle;
import dev.zkspark.sumcheck.RoundOracle;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.Masked;
import dev.zkspark.sumcheck.Subclaim;
import dev.zkspark.sumcheck.ZkMasks;
import dev.zkspark.sumcheck.ZkSumcheck;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Proves a batch of {@link Relation}s with one sumcheck; see Relation for the protocol. */
public final class RelationProver {
    private RelationProver() {}

    /** The proof and the claims it leaves on committed tensors. */
    public record Proved(RelationProof proof, List<Claim> claims) {}

    /**
     * @param values the field-embedded values of every committed and public tensor by name, each of
     *     its spec's size (public tensors carry their own values)
     */
    public static Proved prove(List<Relation> relations, Function<String, long[]> values, Transcript t) {
        List<RelationLayout> layouts = new ArrayList<>();
        List<SumcheckInstance> instances = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        Fp3[][] lhsValues = new Fp3[relations.size()][];
        for (int ri = 0; ri < relations.size(); ri++) {
            Relation r = relations.get(ri);
            RelationLayout lay = new RelationLayout(r, t);
            layouts.add(lay);
            Fp3[] lv = new Fp3[r.lhs().size()];
            Fp3 claimed = Fp3.ZERO;
            for (int k = 0; k < lv.length; k++) {
                Relation.Lhs l = r.lhs().get(k);
                var point = RelationLayout.tensorPoint(l.view(), lay.u);
                lv[k] = Mle.base(values.apply(l.view().spec().name())).evaluate(point);
                claims.add(new Claim(l.view().spec().name(), point, lv[k]));
                claimed = claimed.add(lv[k].mul(Fp3.ofSigned(l.coeff())));
            }
            t.absorbExt("relation/lhs", lv);
            lhsValues[ri] = lv;
            instances.add(new SumcheckInstance(lay.expression, tables(lay, values), claimed));
        }
        SumcheckProver.Result res = SumcheckProver.prove(instances, t);
        for (int ri = 0; ri < relations.size(); ri++) {
            RelationLayout lay = layouts.get(ri);
            Subclaim sc = res.subclaims().get(ri);
            var coords = lay.finalCoords(sc.point());
            for (int j = 0; j < lay.kinds.size(); j++) {
                if (lay.kinds.get(j) == RelationLayout.Kind.FACTOR && lay.factors.get(j) instanceof Relation.Committed c) {
                    claims.add(new Claim(c.spec().name(), RelationLayout.tensorPoint(c, coords), sc.value(j)));
                }
            }
        }
        return new Proved(new RelationProof(lhsValues, res.proof()), claims);
    }

    private static List<Mle> tables(RelationLayout lay, Function<String, long[]> values) {
        return tables(lay, values, 0, 1);
    }

    /** Chunk {@code index} of {@code count} of the layout's tables (the high log2(count) variables fixed to index). */
    private static List<Mle> tables(RelationLayout lay, Function<String, long[]> values, int index, int count) {
        int len = (1 << lay.numVars()) / count;
        int lo = index * len;
        List<Mle> tables = new ArrayList<>();
        for (int j = 0; j < lay.kinds.size(); j++) {
            tables.add(switch (lay.kinds.get(j)) {
                case EQ -> lay.eqTable(lo, lo + len);
                case ONES -> lay.onesTable(lo, lo + len);
                case FACTOR -> {
                    Relation.Factor f = lay.factors.get(j);
                    long[] v = f instanceof Relation.Public p ? p.values() : values.apply(f.spec().name());
                    yield lay.materialize(f, v, lo, lo + len);
                }
            });
        }
        return tables;
    }

    /** The zero-knowledge proof and the linear claims it leaves on committed tensors and masks. */
    public record ProvedZk(ZkSumcheck.Proof proof, List<LinearClaim> claims) {}

    /**
     * Proves a batch of relations in zero knowledge (docs/ZK.md §3): no left-hand value is sent;
     * instead, for a random alpha, one {@link ZkSumcheck} proves
     * sum_r alpha^r (sum_z eq(u_r, z) sum_k a_k V_k(z) - RHS_r(u_r)) = 0, the left sides being
     * instances over the free axes. Every committed table's final value is revealed masked, so the
     * claims are linear claims on the tensor and the committed masks.
     */
    public static ProvedZk proveZk(List<Relation> relations, Function<String, long[]> values, ZkMasks masks, Transcript t) {
        ZkBatch batch = ZkBatch.of(relations, t);
        ZkSumcheck.Proved p = ZkSumcheck.prove(batch.shapes, tables(batch, values), Masked.clear(Fp3.ZERO), masks, ZkSumcheck.Coins.of(t));
        return new ProvedZk(p.proof(), batch.claims(p.outcome(), masks.tensor()));
    }

    private static List<List<Mle>> tables(ZkBatch batch, Function<String, long[]> values) {
        List<List<Mle>> tables = new ArrayList<>();
        for (RelationLayout lay : batch.layouts) {
            tables.add(tables(lay, values));
        }
        return tables;
    }

    // ------------------------------------------------ distributed (issue 7, DESIGN §6)

    /**
     * The public half of {@link #proveZk}, for a prover whose tables are split over workers: the
     * batch's layout, with its challenges drawn from {@code t} exactly as proveZk draws them.
     */
    public static final class ZkPlan {
        private final ZkBatch batch;

        private ZkPlan(ZkBatch batch) {
            this.batch = batch;
        }

        /** Variables of the batch's largest instance. */
        public int numVars() {
            return batch.shapes.stream().mapToInt(ZkSumcheck.Shape::numVars).max().orElse(0);
        }

        /** Variables of its smallest: at most 2^minVars chunks (each chunk fixes that many high variables). */
        public int minVars() {
            return batch.shapes.stream().mapToInt(ZkSumcheck.Shape::numVars).min().orElse(0);
        }
    }

    /** {@link ZkPlan} of these relations; advances {@code t} as {@link #proveZk} does before its sumcheck. */
    public static ZkPlan planZk(List<Relation> relations, Transcript t) {
        return new ZkPlan(ZkBatch.of(relations, t));
    }

    /**
     * A worker's share of {@link #proveZk}: chunk {@code index} of {@code count} of the batch's tables
     * (the entries {@link SumcheckChunk#of} would keep), from the same transcript state as the
     * planning prover's. Only the chunk's entries are built: 1/count of the tables' work and memory.
     */
    public static SumcheckChunk chunkZk(List<Relation> relations, Function<String, long[]> values, Transcript t, int index, int count) {
        ZkBatch batch = ZkBatch.of(relations, t);
        List<Expression> expressions = new ArrayList<>();
        List<List<Mle>> slices = new ArrayList<>();
        for (int i = 0; i < batch.layouts.size(); i++) {
            if (batch.layouts.get(i).numVars() != batch.shapes.get(i).numVars()) {
                throw new IllegalStateException("layout " + i + " and its shape disagree on the variables");
            }
            expressions.add(batch.shapes.get(i).expression());
            slices.add(tables(batch.layouts.get(i), values, index, count));
        }
        return SumcheckChunk.ofSlices(expressions, slices, count);
    }

    /**
     * {@link #proveZk} with the tables held by {@code oracle} (for example a distributed one over
     * {@link #chunkZk}'s chunks) and the instances' true sums given: the same proof bytes.
     */
    public static ProvedZk proveZk(ZkPlan plan, RoundOracle oracle, Fp3[] sums, ZkMasks masks, Transcript t) {
        ZkSumcheck.Proved p = ZkSumcheck.prove(plan.batch.shapes, oracle, sums, Masked.clear(Fp3.ZERO), masks, ZkSumcheck.Coins.of(t));
        return new ProvedZk(p.proof(), plan.batch.claims(p.outcome(), masks.tensor()));
    }

    /** Takes the mask slots {@link #proveZk} takes (to size the committed masks tensor). */
    public static void reserveZk(List<Relation> relations, ZkMasks masks) {
        ZkSumcheck.reserve(ZkBatch.shapesOnly(relations).shapes, Masked.clear(Fp3.ZERO), masks);
    }
}
