package dev.zkspark.spark.sumcheck;

import dev.zkspark.field.Fp3;
import dev.zkspark.field.Goldilocks;
import dev.zkspark.pcs.BandSlice;
import dev.zkspark.pcs.OpeningKernel;
import dev.zkspark.pcs.PcsParams;
import dev.zkspark.pcs.RowBands;
import dev.zkspark.pcs.TensorCodePcs;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A commitment's data rows held by Spark partitions, one {@link BandSlice} each (partition c holds
 * band c), for an opening run on the driver ({@link RowBands}): the batching sumcheck is a
 * {@link SparkRoundOracle} over the bands' chunks (each band builds its own slice of the kernel
 * from the claims' terms), combined rows are summed from the bands' parts, queried columns are
 * gathered from the bands, and the Merkle leaves are hashed by column range after a shuffle of the
 * bands' chunk digests (as commit-job does). The driver receives O(bands x code length) values
 * and never a data row. The bands' RDD is cached; {@link #close} unpersists it.
 */
public final class SparkRowBands implements RowBands, AutoCloseable {
    /** What partition c holds: its band's entries and the codewords of its data rows. */
    public record Held(BandSlice slice, long[] poly, long[][] codewords) implements Serializable {}

    /**
     * Band b of a committed polynomial held whole here ({@code stacked}, its entries): its slice and
     * the codewords of its data rows, encoded now as the commitment encodes them ({@code seed}).
     */
    public static Held encoded(BandSlice b, PcsParams p, long[] stacked, byte[] seed) {
        long[][] cw = b.rows() == 0 ? new long[0][] : TensorCodePcs.encodeBand(p, stacked, b.firstRow(), b.rows(), seed).codewords();
        long[] slice = new long[b.len()]; // a truncated commitment's last bands hold none
        System.arraycopy(stacked, (int) Math.min(b.lo(), stacked.length), slice, 0, b.len());
        return new Held(b, slice, cw);
    }

    /** Builds band s on an executor (deterministic: a recomputed partition holds the same band). */
    public interface Source extends Serializable {
        Held band(BandSlice s);
    }

    private final PcsParams p;
    private final byte[] seed;
    private final int count;
    private final JavaRDD<Held> bands;
    private final List<JavaRDD<?>> cached = new ArrayList<>();
    private final JavaSparkContext jsc;
    /** Broadcast kernels: every round's job lineage names the kernel, so it is shipped once per executor, not per job. */
    private final List<Broadcast<OpeningKernel>> kernels = new ArrayList<>();
    private final List<SparkRoundOracle> oracles = new ArrayList<>();
    private int jobs;
    private long bytes;

    /**
     * @param count the number of bands (a power of two, {@link BandSlice#count})
     * @param seed the commitment's seed (its salts and mask rows)
     */
    public SparkRowBands(JavaSparkContext jsc, PcsParams p, byte[] seed, int count, Source source) {
        this.jsc = jsc;
        this.p = p;
        this.seed = seed.clone();
        this.count = BandSlice.count(p, count);
        int n = this.count;
        List<Integer> indices = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        this.bands = jsc.parallelize(indices, n).map(c -> {
            Held h = source.band(BandSlice.of(p, c, n));
            if (h.poly().length != h.slice().len() || h.codewords().length != h.slice().rows()) {
                throw new IllegalStateException("band " + c + " holds " + h.poly().length + " entries and " + h.codewords().length
                        + " rows, not " + h.slice().len() + " and " + h.slice().rows());
            }
            return h;
        }).persist(StorageLevel.MEMORY_ONLY());
        cached.add(bands);
    }

    public int count() {
        return count;
    }

    /** Spark jobs this opening launched so far (its sumcheck's rounds included). */
    public int jobs() {
        return jobs + oracles.stream().mapToInt(SparkRoundOracle::jobs).sum();
    }

    /** Bytes the bands sent to the driver so far: leaves, sums and round values, combined rows, columns. */
    public long bytesCollected() {
        return bytes + oracles.stream().mapToLong(SparkRoundOracle::bytesCollected).sum();
    }

    /** Every column's leaf, in column order: bands' chunk digests shuffled to one task per column range. */
    public byte[][] leaves() {
        PcsParams pp = p;
        byte[] s = seed;
        int ranges = TensorCodePcs.columnRangeCount(p, count);
        List<Tuple2<Integer, byte[][]>> parts = new ArrayList<>(bands.filter(h -> h.slice().rows() > 0).flatMapToPair(h -> {
            TensorCodePcs.BandDigests d = TensorCodePcs.digestBand(pp, h.slice().firstRow(), h.codewords());
            List<Tuple2<Integer, TensorCodePcs.BandDigests>> out = new ArrayList<>(ranges);
            for (int r = 0; r < ranges; r++) {
                int[] cols = TensorCodePcs.columnRange(pp, r, ranges);
                out.add(new Tuple2<>(r, d.columns(cols[0], cols[0] + cols[1])));
            }
            return out.iterator();
        }).groupByKey(new HashPartitioner(ranges)).map(t -> {
            List<TensorCodePcs.BandDigests> slices = new ArrayList<>();
            t._2().forEach(slices::add);
            int[] cols = TensorCodePcs.columnRange(pp, t._1(), ranges);
            return new Tuple2<>(t._1(), TensorCodePcs.subtreeLeaves(pp, slices, cols[0], cols[1], s));
        }).collect());
        jobs++;
        parts.sort(java.util.Comparator.comparingInt(Tuple2::_1));
        byte[][] all = new byte[p.codeLength()][];
        int at = 0;
        for (Tuple2<Integer, byte[][]> t : parts) {
            System.arraycopy(t._2(), 0, all, at, t._2().length);
            at += t._2().length;
            bytes += 32L * t._2().length;
        }
        if (at != all.length) {
            throw new IllegalStateException(at + " leaves from the bands, the code has " + all.length);
        }
        return all;
    }

    @Override
    public Sumcheck sumcheck(OpeningKernel w) {
        PcsParams pp = p;
        // the kernel holds every claim's point and terms (megabytes for a real model): broadcast it
        // rather than serialize it into the task binary of each of the sumcheck's round jobs
        Broadcast<OpeningKernel> bw = jsc.broadcast(w);
        kernels.add(bw);
        JavaRDD<BandSlice.Part> parts = bands.map(h -> h.slice().part(pp, h.poly(), bw.value())).persist(StorageLevel.MEMORY_ONLY());
        cached.add(parts);
        Fp3 sum = parts.map(BandSlice.Part::sum).reduce(Fp3::add);
        jobs++;
        bytes += 24L * count;
        SparkRoundOracle oracle = new SparkRoundOracle(parts.map(BandSlice.Part::chunk), p.numVars(), count);
        oracles.add(oracle);
        return new Sumcheck(sum, oracle);
    }

    @Override
    public long[][] combineRows(long[][] coefs) {
        PcsParams pp = p;
        byte[] s = seed;
        long[][] sum = bands.map(h -> TensorCodePcs.combineBand(pp, h.poly(), h.slice().firstRow(), h.slice().rows(), s, coefs))
                .reduce(SparkRowBands::add);
        jobs++;
        bytes += 8L * count * sum.length * sum[0].length;
        return sum;
    }

    private static long[][] add(long[][] a, long[][] b) {
        long[][] out = new long[a.length][];
        for (int t = 0; t < a.length; t++) {
            out[t] = new long[a[t].length];
            for (int x = 0; x < a[t].length; x++) {
                out[t][x] = Goldilocks.add(a[t][x], b[t][x]);
            }
        }
        return out;
    }

    @Override
    public long[][] columns(int[] js) {
        List<long[][]> parts = bands.map(h -> TensorCodePcs.bandColumns(h.codewords(), js)).collect();
        jobs++;
        long[][] out = new long[js.length][];
        for (int x = 0; x < js.length; x++) {
            int len = 0;
            for (long[][] part : parts) {
                len += part[x].length;
            }
            out[x] = new long[len];
            int at = 0;
            for (long[][] part : parts) {
                System.arraycopy(part[x], 0, out[x], at, part[x].length);
                at += part[x].length;
                bytes += 8L * part[x].length;
            }
        }
        return out;
    }

    @Override
    public void close() {
        for (JavaRDD<?> r : cached) {
            r.unpersist(false);
        }
        cached.clear();
        for (Broadcast<OpeningKernel> b : kernels) {
            b.destroy();
        }
        kernels.clear();
    }
}
