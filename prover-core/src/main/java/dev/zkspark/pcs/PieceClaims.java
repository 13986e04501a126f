package dev.zkspark.pcs;

import dev.zkspark.field.Fp3;
import dev.zkspark.poly.LinearClaim;
import dev.zkspark.poly.Point;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Claims on tensors committed in pieces, rewritten into claims on the pieces' regions (the identity
 * in {@link Piece}'s comment). Prover and verifier run the same rewrite from the public region
 * table; claims on whole tensors pass unchanged, so commitments without pieces keep their proofs.
 */
final class PieceClaims {
    private PieceClaims() {}

    /** A region's share of an evaluation: weight * (region's table)~(local). */
    record Part(Region region, Point local, Fp3 weight) {}

    /** T~(z) as parts over T's regions (its whole region, or its pieces); z has T's size. */
    static List<Part> parts(List<Region> regions, Point z) {
        List<Part> out = new ArrayList<>();
        for (Region r : regions) {
            if (!r.isPiece()) {
                out.add(new Part(r, z, Fp3.ONE));
                continue;
            }
            Fp3[] local = new Fp3[r.numVars()];
            Fp3 w = Fp3.ONE;
            int k = 0;
            for (int b = 0; b < r.tensorVars(); b++) {
                Fp3 zb = z.get(b);
                if ((r.freeMask() >>> b & 1) != 0) {
                    local[k++] = zb;
                } else {
                    w = w.mul((r.fixed() >>> b & 1) != 0 ? zb : Fp3.ONE.sub(zb));
                }
            }
            out.add(new Part(r, new Point(local), w));
        }
        return out;
    }

    /** The size in variables of tensor T held by {@code regions} (non-empty). */
    static int tensorVars(List<Region> regions) {
        return regions.get(0).tensorVars();
    }

    /**
     * Appends to {@code out} every claim with its terms on pieced tensors rewritten onto the pieces;
     * null, or why the claims do not fit the commitments (a point or a slot of the wrong size, a
     * tensor in two commitments). Terms on tensors no commitment holds are kept for the caller's
     * own check.
     */
    static String expand(List<Commitment> cs, List<LinearClaim> claims, List<LinearClaim> out) {
        for (int c = 0; c < claims.size(); c++) {
            LinearClaim cl = claims.get(c);
            if (cl == null || cl.value() == null) {
                return "claim " + c + " is incomplete";
            }
            List<LinearClaim.Term> terms = new ArrayList<>();
            boolean changed = false;
            for (LinearClaim.Term term : cl.terms()) {
                List<Region> regions = List.of();
                if (term != null && term.tensor() != null) {
                    for (int k = 0, first = -1; k < cs.size(); k++) {
                        List<Region> rs = cs.get(k).regionsOf(term.tensor());
                        if (!rs.isEmpty() && first >= 0) {
                            return "tensor " + term.tensor() + " is in commitments " + first + " and " + k;
                        }
                        if (!rs.isEmpty()) {
                            first = k;
                            regions = rs;
                        }
                    }
                }
                if (regions.isEmpty() || !regions.get(0).isPiece()) {
                    terms.add(term);
                    continue;
                }
                changed = true;
                String why = rewrite(c, term, regions, terms);
                if (why != null) {
                    return why;
                }
            }
            out.add(changed ? new LinearClaim(terms, cl.value()) : cl);
        }
        return null;
    }

    private static String rewrite(int c, LinearClaim.Term term, List<Region> pieces, List<LinearClaim.Term> out) {
        int tv = tensorVars(pieces);
        String name = term.tensor();
        if (term instanceof LinearClaim.Eval e) {
            if (e.point() == null || e.coeff() == null || e.point().size() != tv) {
                return "claim " + c + " evaluates " + name + " (2^" + tv + " entries) at a point of the wrong size";
            }
            for (Part p : parts(pieces, e.point())) {
                out.add(new LinearClaim.Eval(p.region().name(), p.local(), e.coeff().mul(p.weight())));
            }
            return null;
        }
        LinearClaim.Slots s = (LinearClaim.Slots) term;
        Map<Region, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int k = 0; k < s.slots().length; k++) {
            int slot = s.slots()[k];
            if (slot < 0 || slot >= (1L << tv)) {
                return "claim " + c + " reads slot " + slot + " of " + name + " (2^" + tv + " entries)";
            }
            if (s.weights()[k] == null) {
                return "claim " + c + " has a missing slot weight";
            }
            for (Region r : pieces) {
                if (r.piece().contains(slot)) {
                    bySlot.computeIfAbsent(r, x -> new ArrayList<>()).add(k);
                }
            }
            // a slot in no piece reads a padding entry, zero by definition: it adds nothing
        }
        if (bySlot.isEmpty()) {
            out.add(new LinearClaim.Slots(pieces.get(0).name(), new int[0], new Fp3[0]));
        }
        for (Map.Entry<Region, List<Integer>> e : bySlot.entrySet()) {
            Region r = e.getKey();
            int[] slots = new int[e.getValue().size()];
            Fp3[] weights = new Fp3[slots.length];
            for (int i = 0; i < slots.length; i++) {
                int k = e.getValue().get(i);
                slots[i] = (int) r.piece().local(s.slots()[k]);
                weights[i] = s.weights()[k];
            }
            out.add(new LinearClaim.Slots(r.name(), slots, weights));
        }
        return null;
    }
}
