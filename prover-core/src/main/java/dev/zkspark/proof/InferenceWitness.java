package dev.zkspark.proof;

import dev.zkspark.circuit.InferenceCircuit;
import dev.zkspark.circuit.TensorSpec;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.lookup.LogUp;
import dev.zkspark.lookup.LookupColumn;
import dev.zkspark.lookup.Table;
import dev.zkspark.model.BoundAnalysis;
import dev.zkspark.model.QuantParams;
import dev.zkspark.model.Witness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prover's committed values: the forward pass's {@link Witness} plus the auxiliary tensors the
 * circuit checks (limbs of every range check, the rsqrt sandwich gaps, softmax row deviations, the
 * clamp split, the picked logits and argmax gaps) and one multiplicity vector per lookup table, all
 * embedded in the field.
 */
final class InferenceWitness {
    final Map<String, long[]> values = new LinkedHashMap<>();

    private InferenceWitness() {}

    static long[] field(long[] signed) {
        long[] out = new long[signed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Goldilocks.fromSigned(signed[i]);
        }
        return out;
    }

    static InferenceWitness derive(InferenceCircuit circuit, Witness w, QuantParams p, long normEps, int[] generated,
            dev.zkspark.model.QuantizedModel.Logical logical) {
        InferenceWitness iw = new InferenceWitness();
        Map<String, long[]> signed = new LinkedHashMap<>();
        for (Witness.Tensor t : w.tensors().values()) {
            signed.put(t.name(), t.values());
        }
        int[] outputRows = circuit.outputPositions();
        int positions = w.tokens().length;
        for (Map.Entry<String, String> sel : circuit.rowSelections().entrySet()) {
            long[] all = signed.get(sel.getValue());
            if (all != null) { // the rest (limbs, sandwich gaps) are derived below from the selected rows
                signed.put(sel.getKey(), selectRows(all, positions, outputRows));
            }
        }
        int s = p.scaleBits(), sm = p.normScaleBits();
        long big = 1L << (2 * s + sm);
        for (String name : circuit.specs().keySet()) {
            if (circuit.source(name) != InferenceCircuit.Source.WITNESS || signed.containsKey(name)) {
                continue;
            }
            if (name.endsWith(".sandwich.lo") || name.endsWith(".sandwich.hi")) {
                String norm = name.substring(0, name.indexOf(".sandwich."));
                long[] ms = signed.get(norm + ".ms"), r = signed.get(norm + ".rsqrt");
                long[] out = new long[ms.length];
                for (int i = 0; i < out.length; i++) {
                    long m = ms[i] + normEps;
                    // r^2 m and (r+1)^2 m are below 2^62 by the bound analysis
                    out[i] = name.endsWith(".lo") ? big - r[i] * r[i] * m : (r[i] + 1) * (r[i] + 1) * m - big - 1;
                }
                signed.put(name, out);
            } else if (name.endsWith("softmax.rowdev")) {
                String pre = name.substring(0, name.length() - "softmax.rowdev".length());
                long[] a = signed.get(pre + "attn");
                int rows = circuit.specs().get(name).size(), cols = a.length / rows;
                long[] out = new long[rows];
                for (int i = 0; i < rows; i++) {
                    long acc = 0;
                    for (int j = 0; j < cols; j++) {
                        acc += a[i * cols + j];
                    }
                    out[i] = acc - (1L << s);
                }
                signed.put(name, out);
            } else if (name.endsWith(".ms.rem.top")) {
                String norm = name.substring(0, name.length() - ".ms.rem.top".length());
                long divisor = (long) logical.dim() << (2 * s - sm);
                long[] rem = signed.get(norm + ".ms.rem");
                long[] out = new long[rem.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = divisor - 1 - divisor / 2 - rem[i];
                }
                signed.put(name, out);
            } else if (name.endsWith("clamp.plus") || name.endsWith("clamp.minus")) {
                String pre = name.substring(0, name.indexOf("clamp."));
                long[] in = signed.get(pre + "sig_in"), idx = signed.get(pre + "sig_idx");
                long[] out = new long[in.length];
                for (int i = 0; i < out.length; i++) {
                    long dd = in[i] - idx[i];
                    out[i] = name.endsWith("plus") ? Math.max(dd, 0) : Math.max(-dd, 0);
                }
                signed.put(name, out);
            } else if (name.equals("argmax.picked") || name.equals("argmax.gap")) {
                long[] logits = signed.get("logits");
                int vocab = circuit.specs().get("argmax.gap").axes().get(1).bits();
                vocab = 1 << vocab;
                int rows = logits.length / vocab;
                long[] picked = new long[rows], gap = new long[logits.length];
                for (int pos = 0; pos < generated.length; pos++) {
                    int gt = generated[pos];
                    picked[pos] = logits[pos * vocab + gt];
                    for (int v = 0; v < logical.vocab(); v++) {
                        gap[pos * vocab + v] = picked[pos] - logits[pos * vocab + v] - (v < gt ? 1 : 0);
                    }
                }
                signed.put("argmax.picked", picked);
                signed.put("argmax.gap", gap);
            }
        }
        for (InferenceCircuit.LimbCheck lc : circuit.limbChecks()) {
            long[] val = signed.get(lc.value());
            long mask = (1L << lc.limbBits()) - 1;
            for (int i = 0; i < lc.count(); i++) {
                long[] limb = new long[val.length];
                for (int k = 0; k < val.length; k++) {
                    limb[k] = ((val[k] + lc.offset()) >>> (i * lc.limbBits())) & mask;
                }
                signed.put(lc.limb(i), limb);
            }
        }
        for (Map.Entry<String, TensorSpec> e : circuit.specs().entrySet()) {
            if (circuit.source(e.getKey()) != InferenceCircuit.Source.WITNESS) {
                continue;
            }
            long[] v = signed.get(e.getKey());
            if (v == null || v.length != e.getValue().size()) {
                throw new IllegalStateException("witness tensor " + e.getKey() + " is missing or has "
                        + (v == null ? 0 : v.length) + " entries, expected " + e.getValue().size());
            }
            iw.values.put(e.getKey(), field(v));
        }
        for (Map.Entry<String, Table> e : circuit.tables().entrySet()) {
            iw.values.put(LogUp.multiplicityTensor(e.getValue()), LogUp.multiplicities(e.getValue(), iw.columns(circuit, e.getKey())));
        }
        return iw;
    }

    /** Rows {@code rows} of a row-major tensor with {@code positions} rows. */
    private static long[] selectRows(long[] all, int positions, int[] rows) {
        int width = all.length / positions;
        long[] out = new long[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(all, rows[i] * width, out, i * width, width);
        }
        return out;
    }

    List<LookupColumn> columns(InferenceCircuit circuit, String table) {
        List<LookupColumn> out = new ArrayList<>();
        for (InferenceCircuit.Column c : circuit.columns().get(table)) {
            out.add(new LookupColumn(c.x(), values.get(c.x()), c.y(), c.y() == null ? null : values.get(c.y())));
        }
        return out;
    }

    static long normEps(dev.zkspark.model.LlamaConfig c, QuantParams p) {
        return BoundAnalysis.normEpsilon(c, p);
    }
}
