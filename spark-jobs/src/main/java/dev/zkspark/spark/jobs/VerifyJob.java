package dev.zkspark.spark.jobs;

import dev.zkspark.core.Verdict;
import dev.zkspark.proof.InferenceVerifier;
import dev.zkspark.proof.ModelCommitment;
import dev.zkspark.proof.Statement;
import dev.zkspark.spark.io.VerdictsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code bin/zkspark verify-job} (issue 7): verifies every row of a proofs table in parallel against
 * a model commitment and writes a verdicts table. Each proof is checked exactly as the standalone
 * verifier does: the statement is rebuilt from the commitment and the row's claimed prompt and
 * generated token ids (a statement column that disagrees with them is a rejection), then the proof
 * bytes are verified; no model, no prover state.
 */
public final class VerifyJob {
    private VerifyJob() {}

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    /** A row the prove job could not prove (its error is carried over); not a verification failure. */
    public static final String NOT_PROVED = "not-proved";

    public static List<VerdictsTable.Row> run(SparkSession spark, String proofsTable, byte[] commitment, String out, int partitions) {
        VerdictsTable.checkWritable(spark, out);
        InferenceRequestProver.parse(commitment);
        Dataset<Row> df = VerdictsTable.readProofs(spark, proofsTable);
        JavaRDD<Row> rows = df.select("id", "status", "error", "prompt_tokens", "generated_tokens", "statement", "proof").javaRDD();
        if (partitions > 0) {
            rows = rows.repartition(partitions);
        }
        byte[] c = commitment.clone();
        JavaRDD<VerdictsTable.Row> verdicts = rows.mapPartitions(it -> {
            ModelCommitment mc = InferenceRequestProver.parse(c);
            List<VerdictsTable.Row> outRows = new ArrayList<>();
            while (it.hasNext()) {
                outRows.add(verify(mc, it.next()));
            }
            return outRows.iterator();
        });
        return VerdictsTable.write(spark, verdicts, out);
    }

    static VerdictsTable.Row verify(ModelCommitment mc, Row r) {
        String id = r.isNullAt(0) ? null : r.getString(0);
        String status = r.getString(1);
        if (!"proved".equals(status)) {
            return new VerdictsTable.Row(id, NOT_PROVED, r.isNullAt(2) ? "not proved" : r.getString(2), 0, 0);
        }
        byte[] proof = r.isNullAt(6) ? new byte[0] : (byte[]) r.get(6);
        long t0 = System.nanoTime();
        Statement st = new Statement(mc.digest(), mc.params().digest(), ints(r.getList(3)), ints(r.getList(4)));
        Verdict v;
        if (!r.isNullAt(5) && !Arrays.equals((byte[]) r.get(5), st.toBytes())) {
            v = Verdict.reject("the statement column is not this commitment's statement of the row's tokens");
        } else {
            v = InferenceVerifier.verify(mc, st, proof);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        return new VerdictsTable.Row(id, v.isAccepted() ? ACCEPTED : REJECTED, v.isAccepted() ? null : v.reason(), proof.length, ms);
    }

    private static int[] ints(List<Object> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ((Number) l.get(i)).intValue();
        }
        return a;
    }

}
