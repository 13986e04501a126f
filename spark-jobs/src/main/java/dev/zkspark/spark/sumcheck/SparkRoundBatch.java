package dev.zkspark.spark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.sumcheck.RoundOracle;
import dev.zkspark.sumcheck.SumcheckChunk;
import dev.zkspark.sumcheck.TailedOracle;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;

/**
 * Several distributed sumchecks in lockstep, every round of all of them in one Spark job (DESIGN
 * §6: "batch every sumcheck that is in the same round into one Spark job"). Partition c of the RDD
 * holds chunk c of every member's tables ({@link SumcheckChunk}, the high log2(P) variables fixed
 * to c). Each member is a sumcheck prover running in its own driver thread against the
 * {@link RoundOracle} it is given; its calls block until the coordinator (the thread that called
 * {@link #run}) has every unfinished member waiting, then one job applies each member's pending
 * folds and computes each member's round values (or, after its local rounds, gathers its one value
 * per table and partition, as {@link SparkRoundOracle} does), and the answers wake the members.
 * Members never see each other's challenges: each has its own transcript, and the combined job
 * only shares the Spark round trip. Field addition is exact, so every member's proof bytes equal
 * the single-JVM prover's for any P; chunks are immutable and folds deterministic, so a recomputed
 * partition reproduces the same values.
 */
public final class SparkRoundBatch {
    /** One member: a sumcheck proved against {@code oracle}, whose result is returned by {@link #run}. */
    public interface Member<T> {
        T run(RoundOracle oracle);
    }

    /** A fold recorded by a member since the last job. */
    private record Fold(boolean[] active, Fp3 r) implements Serializable {}

    /** What a waiting member asked for: round values (deg > 0), or its gathered chunks (gather). */
    private record Request(boolean[] active, int deg, boolean gather) implements Serializable {}

    private final int count;
    private final int members;
    private final int[] localRounds;
    private JavaRDD<SumcheckChunk[]> current;
    private int jobs;
    private long bytesCollected;

    // guarded by this
    private final List<List<Fold>> pending = new ArrayList<>();
    private final Request[] requests;
    private final Object[] answers;
    private final boolean[] finished;
    private final boolean[] gathered;
    private RuntimeException aborted; // a failed Spark job: waiting members give up

    /**
     * @param chunks an RDD whose partition c holds exactly {@code [chunk c of member 0, chunk c of member 1, ...]}
     * @param numVars each member's largest instance's number of variables
     * @param count the number of chunks P, a power of two
     */
    public SparkRoundBatch(JavaRDD<SumcheckChunk[]> chunks, int[] numVars, int count) {
        int k = Integer.numberOfTrailingZeros(count);
        if (Integer.bitCount(count) != 1 || chunks.getNumPartitions() != count) {
            throw new IllegalArgumentException("chunk count " + count + " must be a power of two and the RDD's partition count");
        }
        this.count = count;
        this.members = numVars.length;
        this.localRounds = new int[members];
        for (int m = 0; m < members; m++) {
            if (k > numVars[m]) {
                throw new IllegalArgumentException("member " + m + " has " + numVars[m] + " variables, fewer than log2(" + count + ")");
            }
            localRounds[m] = numVars[m] - k;
            pending.add(new ArrayList<>());
        }
        this.requests = new Request[members];
        this.answers = new Object[members];
        this.finished = new boolean[members];
        this.gathered = new boolean[members];
        this.current = chunks.persist(StorageLevel.MEMORY_ONLY());
    }

    /** Every member's instances' sums over the whole hypercube (one Spark job). */
    public Fp3[][] sums() {
        List<Fp3[][]> parts = current.map(arr -> {
            Fp3[][] out = new Fp3[arr.length][];
            for (int m = 0; m < arr.length; m++) {
                out[m] = arr[m].sums();
            }
            return out;
        }).collect();
        jobs++;
        Fp3[][] sums = new Fp3[members][];
        for (Fp3[][] p : parts) {
            for (int m = 0; m < members; m++) {
                bytesCollected += 24L * p[m].length;
                sums[m] = sums[m] == null ? p[m].clone() : add(sums[m], p[m]);
            }
        }
        return sums;
    }

    /**
     * Runs every member in its own thread, coordinating their rounds, and returns their results in
     * order. A member's exception is rethrown (the first one) after all members have stopped.
     */
    public <T> List<T> run(List<Member<T>> work) {
        if (work.size() != members) {
            throw new IllegalArgumentException(work.size() + " members for a batch of " + members);
        }
        List<T> results = new ArrayList<>(java.util.Collections.nCopies(members, null));
        RuntimeException[] failure = new RuntimeException[1];
        List<Thread> threads = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            int id = m;
            Thread th = new Thread(() -> {
                try {
                    results.set(id, work.get(id).run(new MemberOracle(id)));
                } catch (RuntimeException e) {
                    synchronized (this) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                } finally {
                    synchronized (this) {
                        finished[id] = true;
                        notifyAll();
                    }
                }
            }, "zkspark-split-sumcheck-" + m);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        try {
            coordinate();
        } catch (RuntimeException e) {
            synchronized (this) {
                aborted = e;
                notifyAll();
            }
            throw e;
        } finally {
            for (Thread th : threads) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            current.unpersist(false);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return results;
    }

    /** Spark jobs launched (one per round of the longest member, plus the sums). */
    public int jobs() {
        return jobs;
    }

    /** Field-element bytes collected to the driver. */
    public long bytesCollected() {
        return bytesCollected;
    }

    private void coordinate() {
        while (true) {
            Fold[][] folds = new Fold[members][];
            Request[] reqs = new Request[members];
            boolean[] drop = new boolean[members];
            synchronized (this) {
                while (!idle()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while coordinating split sumchecks", e);
                    }
                }
                boolean any = false;
                for (int m = 0; m < members; m++) {
                    folds[m] = pending.get(m).toArray(new Fold[0]);
                    pending.get(m).clear();
                    reqs[m] = requests[m];
                    drop[m] = gathered[m];
                    any |= reqs[m] != null;
                }
                if (!any) {
                    return; // every member finished
                }
            }
            Object[] out = job(folds, reqs, drop);
            synchronized (this) {
                for (int m = 0; m < members; m++) {
                    if (reqs[m] != null) {
                        if (reqs[m].gather()) {
                            gathered[m] = true;
                        }
                        requests[m] = null;
                        answers[m] = out[m];
                    }
                }
                notifyAll();
            }
        }
    }

    /** All unfinished members are waiting for an answer. */
    private boolean idle() {
        for (int m = 0; m < members; m++) {
            if (!finished[m] && requests[m] == null) {
                return false;
            }
        }
        return true;
    }

    /** One Spark job: folds, then each request's round values or gathered chunks, summed or assembled. */
    private Object[] job(Fold[][] folds, Request[] reqs, boolean[] drop) {
        JavaRDD<SumcheckChunk[]> previous = current;
        current = current.map(arr -> {
            SumcheckChunk[] next = arr.clone();
            for (int m = 0; m < next.length; m++) {
                if (drop[m]) {
                    next[m] = null; // gathered: its tail is on the driver
                    continue;
                }
                for (Fold f : folds[m]) {
                    next[m] = next[m].fold(f.active(), f.r());
                }
            }
            return next;
        }).persist(StorageLevel.MEMORY_ONLY());
        List<Object[]> parts = current.map(arr -> {
            Object[] o = new Object[arr.length];
            for (int m = 0; m < arr.length; m++) {
                Request q = reqs[m];
                if (q != null) {
                    o[m] = q.gather() ? arr[m] : arr[m].roundValues(q.active(), q.deg());
                }
            }
            return o;
        }).collect();
        jobs++;
        previous.unpersist(false);
        Object[] out = new Object[members];
        for (int m = 0; m < members; m++) {
            if (reqs[m] == null) {
                continue;
            }
            if (reqs[m].gather()) {
                SumcheckChunk[] cs = new SumcheckChunk[count];
                for (int c = 0; c < count; c++) {
                    cs[c] = (SumcheckChunk) parts.get(c)[m];
                    bytesCollected += 24L * 4 * cs[c].numInstances(); // one value per table, a few tables per instance
                }
                out[m] = SumcheckChunk.assemble(cs);
            } else {
                Fp3[][] sum = new Fp3[reqs[m].active().length][];
                for (Object[] p : parts) {
                    bytesCollected += TailedOracle.addPartial(sum, (Fp3[][]) p[m]);
                }
                out[m] = sum;
            }
        }
        return out;
    }

    private static Fp3[] add(Fp3[] a, Fp3[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i].add(b[i]);
        }
        return a;
    }

    /** Member m's view: blocking requests while its tables are distributed, then a local tail. */
    private final class MemberOracle extends TailedOracle {
        private final int m;

        MemberOracle(int m) {
            super(localRounds[m]);
            this.m = m;
        }

        @Override
        protected Fp3[][] distributedRoundValues(boolean[] active, int deg) {
            return (Fp3[][]) ask(new Request(active.clone(), deg, false));
        }

        @Override
        protected void distributedFold(boolean[] active, Fp3 r) {
            synchronized (SparkRoundBatch.this) {
                pending.get(m).add(new Fold(active.clone(), r));
            }
        }

        @Override
        protected SumcheckChunk gather() {
            return (SumcheckChunk) ask(new Request(null, 0, true));
        }

        private Object ask(Request q) {
            synchronized (SparkRoundBatch.this) {
                requests[m] = q;
                answers[m] = null;
                SparkRoundBatch.this.notifyAll();
                while (answers[m] == null) {
                    if (aborted != null) {
                        throw new IllegalStateException("split sumcheck aborted: " + aborted.getMessage(), aborted);
                    }
                    try {
                        SparkRoundBatch.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for a split sumcheck round", e);
                    }
                }
                Object a = answers[m];
                answers[m] = null;
                return a;
            }
        }
    }
}
