package dev.zkspark.spark.sumcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.zkspark.core.ByteSink;
import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.poly.Mle;
import dev.zkspark.spark.Sessions;
import dev.zkspark.sumcheck.Expression;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.SumcheckClaim;
import dev.zkspark.sumcheck.SumcheckInstance;
import dev.zkspark.sumcheck.SumcheckProof;
import dev.zkspark.sumcheck.SumcheckProver;
import dev.zkspark.sumcheck.SumcheckVerifier;
import dev.zkspark.transcript.Hash;
import dev.zkspark.transcript.Transcript;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN §6 invariant: the same proof bytes for 1, 2, 4 and 8 partitions and for the local prover. */
class SparkRoundOracleTest {
    static SparkSession spark;
    static JavaSparkContext jsc;

    @BeforeAll
    static void start() {
        spark = Sessions.create("zkspark-sumcheck-test", "local[2]");
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Mle table(SplittableRandom r, int n) {
        long[] t = new long[1 << n];
        for (int i = 0; i < t.length; i++) {
            t[i] = Goldilocks.reduce(r.nextLong());
        }
        return Mle.base(t);
    }

    static List<SumcheckInstance> batch() {
        SplittableRandom r = new SplittableRandom(11);
        Expression mixed = Expression.builder(3).term(Fp3.ONE, 0, 1, 2).term(Fp3.of(3), 1).build();
        return List.of(
                SumcheckInstance.computing(Expression.product(2), List.of(table(r, 10), table(r, 10))),
                SumcheckInstance.computing(mixed, List.of(table(r, 8), table(r, 8), table(r, 8))),
                SumcheckInstance.computing(Expression.product(3), List.of(table(r, 10), table(r, 10), table(r, 10))));
    }

    static byte[] bytes(SumcheckProof p) {
        ByteSink s = new ByteSink();
        p.write(s);
        return s.toByteArray();
    }

    static Transcript transcript() {
        return Transcript.create(Hash.SHA256, "spark-sumcheck-test", new byte[] {7});
    }

    static SumcheckProver.Result distributed(List<SumcheckInstance> ins, int parts) {
        List<SumcheckChunk> chunks = new ArrayList<>();
        for (int c = 0; c < parts; c++) {
            chunks.add(SumcheckChunk.of(ins, c, parts));
        }
        JavaRDD<SumcheckChunk> rdd = jsc.parallelize(chunks, parts);
        List<SumcheckClaim> claims = new ArrayList<>();
        for (SumcheckInstance in : ins) {
            claims.add(in.claim());
        }
        SparkRoundOracle oracle = new SparkRoundOracle(rdd, 10, parts);
        SumcheckProver.Result res = SumcheckProver.prove(claims, oracle, transcript());
        assertTrue(oracle.jobs() <= 10 - Integer.numberOfTrailingZeros(parts) + 1, "one job per distributed round");
        return res;
    }

    @Test
    void proofBytesAreIdenticalForAnyPartitionCount() {
        List<SumcheckInstance> ins = batch();
        byte[] local = bytes(SumcheckProver.prove(ins, transcript()).proof());
        for (int parts : new int[] {1, 2, 4, 8}) {
            assertArrayEquals(local, bytes(distributed(ins, parts).proof()), parts + " partitions");
        }
    }

    /**
     * SparkRoundBatch: three sumchecks of different sizes, each with its own transcript, proved in
     * lockstep over one RDD give each the local prover's bytes in fewer Spark jobs than run one by
     * one; a member that fails is reported after the others finish, and nobody hangs.
     */
    @Test
    void lockstepMembersKeepTheirBytesAndShareTheJobs() {
        SplittableRandom r = new SplittableRandom(5);
        List<List<SumcheckInstance>> members = List.of(batch(),
                List.of(SumcheckInstance.computing(Expression.product(2), List.of(table(r, 6), table(r, 6)))),
                List.of(SumcheckInstance.computing(Expression.product(3), List.of(table(r, 9), table(r, 9), table(r, 9)))));
        int[] vars = {10, 6, 9};
        for (int parts : new int[] {2, 4}) {
            List<SumcheckChunk[]> rows = new ArrayList<>();
            for (int c = 0; c < parts; c++) {
                SumcheckChunk[] arr = new SumcheckChunk[members.size()];
                for (int m = 0; m < arr.length; m++) {
                    arr[m] = SumcheckChunk.of(members.get(m), c, parts);
                }
                rows.add(arr);
            }
            SparkRoundBatch b = new SparkRoundBatch(jsc.parallelize(rows, parts), vars, parts);
            Fp3[][] sums = b.sums();
            List<SparkRoundBatch.Member<byte[]>> work = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                List<SumcheckInstance> ins = members.get(m);
                assertArrayEquals(ins.stream().map(SumcheckInstance::claimedSum).toArray(Fp3[]::new), sums[m]);
                int id = m;
                work.add(oracle -> bytes(SumcheckProver.prove(ins.stream().map(SumcheckInstance::claim).toList(), oracle,
                        memberTranscript(id)).proof()));
            }
            List<byte[]> proofs = b.run(work);
            for (int m = 0; m < members.size(); m++) {
                assertArrayEquals(bytes(SumcheckProver.prove(members.get(m), memberTranscript(m)).proof()), proofs.get(m),
                        "member " + m + " with " + parts + " partitions");
            }
            // sums, one job per round of the longest member's local rounds, its gather; alone they would take about the sum
            assertTrue(b.jobs() <= 1 + (10 - Integer.numberOfTrailingZeros(parts)) + 1, "jobs: " + b.jobs());
        }

        List<SumcheckChunk[]> rows = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            rows.add(new SumcheckChunk[] {SumcheckChunk.of(members.get(0), c, 2), SumcheckChunk.of(members.get(1), c, 2)});
        }
        SparkRoundBatch failing = new SparkRoundBatch(jsc.parallelize(rows, 2), new int[] {10, 6}, 2);
        List<SparkRoundBatch.Member<byte[]>> work = List.of(
                oracle -> bytes(SumcheckProver.prove(members.get(0).stream().map(SumcheckInstance::claim).toList(), oracle,
                        memberTranscript(0)).proof()),
                oracle -> {
                    oracle.roundValues(new boolean[] {true}, 2);
                    throw new IllegalStateException("member 1 gives up");
                });
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> failing.run(work));
        assertTrue(e.getMessage().contains("member 1 gives up"), e.getMessage());
    }

    static Transcript memberTranscript(int m) {
        return Transcript.create(Hash.SHA256, "spark-sumcheck-batch-test", new byte[] {(byte) m});
    }

    @Test
    void distributedProofVerifiesAndFalseClaimIsRejected() {
        List<SumcheckInstance> ins = batch();
        SumcheckProof p = distributed(ins, 4).proof();
        List<SumcheckClaim> claims = new ArrayList<>();
        for (SumcheckInstance in : ins) {
            claims.add(in.claim());
        }
        assertTrue(SumcheckVerifier.verify(claims, p, transcript()).verdict().isAccepted());
        claims.set(1, new SumcheckClaim(8, claims.get(1).expression(), claims.get(1).claimedSum().add(Fp3.ONE)));
        assertFalse(SumcheckVerifier.verify(claims, p, transcript()).verdict().isAccepted());
    }
}
