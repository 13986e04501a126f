package dev.zkspark.pcs;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.transcript.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * A published commitment: the Merkle root of the encoded matrix's columns (32 bytes), the
 * parameters and the region table. {@link #digest()} covers all of it, so a claim on a region can
 * only be about this layout.
 */
public record Commitment(byte[] root, PcsParams params, List<Region> regions) {
    public Commitment {
        root = root.clone();
        regions = List.copyOf(regions);
    }

    @Override
    public byte[] root() {
        return root.clone();
    }

    public Region region(String name) {
        for (Region r : regions) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    public void write(ByteSink out) {
        out.bytes(root);
        params.write(out);
        out.u32(regions.size());
        for (Region r : regions) {
            out.utf8(r.name()).u8(r.numVars()).u64(r.offset());
        }
    }

    public byte[] toBytes() {
        ByteSink s = new ByteSink();
        write(s);
        return s.toByteArray();
    }

    public byte[] digest() {
        return Hash.SHA256.digest(toBytes());
    }

    public static Commitment read(ByteSource in) throws MalformedInputException {
        byte[] root = in.bytes("commitment root", 32);
        PcsParams p = PcsParams.read(in);
        int n = in.count("region count", 1 << 20);
        List<Region> regions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = in.utf8("region name", 4096);
            int nv = in.u8("region numVars");
            long off = in.u64("region offset");
            if (nv > p.numVars() || off < 0 || off % (1L << nv) != 0 || off + (1L << nv) > (1L << p.numVars())) {
                throw new MalformedInputException("region " + name + " does not fit the committed polynomial");
            }
            regions.add(new Region(name, nv, off));
        }
        return new Commitment(root, p, regions);
    }
}
