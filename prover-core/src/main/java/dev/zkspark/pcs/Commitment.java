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

    /**
     * The regions holding tensor {@code tensor}: its whole region, or its pieces in table order;
     * empty if this commitment does not hold it.
     */
    public List<Region> regionsOf(String tensor) {
        List<Region> out = new ArrayList<>();
        for (Region r : regions) {
            if (r.tensor().equals(tensor)) {
                out.add(r);
            }
        }
        return out;
    }

    /** A piece's numVars byte carries this flag; whole-tensor regions keep their earlier encoding. */
    private static final int PIECE_FLAG = 0x80;

    /** Most pieces one tensor may have in a commitment read from bytes (the overlap check is quadratic). */
    static final int MAX_PIECES = 4096;

    public void write(ByteSink out) {
        header().write(out);
        out.u32(regions.size());
        for (Region r : regions) {
            if (r.isPiece()) {
                // a piece's name is implied: its tensor's name, '#', its rank among that tensor's pieces
                out.utf8(r.tensor()).u8(r.numVars() | PIECE_FLAG).u64(r.offset());
                out.u8(r.tensorVars()).u64(r.freeMask()).u64(r.fixed());
            } else {
                out.utf8(r.name()).u8(r.numVars()).u64(r.offset());
            }
        }
    }

    /**
     * The commitment without its region table: the root and the parameters (a proof's witness
     * commitment, whose regions the verifier lays out itself from the circuit: {@link #readHeader}).
     */
    public byte[] headerBytes() {
        ByteSink s = new ByteSink();
        header().write(s);
        return s.toByteArray();
    }

    /** The root and parameters. */
    public Header header() {
        return new Header(root, params);
    }

    /** The root and parameters of {@link #headerBytes}. */
    public record Header(byte[] root, PcsParams params) {
        public Header {
            root = root.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }

        /** The root, then the parameters: how every commitment starts. */
        public void write(ByteSink out) {
            out.bytes(root);
            params.write(out);
        }

        /**
         * The commitment with these regions, or null if they do not fit the committed entries
         * (overlapping or past {@link PcsParams#entries()}).
         */
        public Commitment withRegions(List<Region> regions) {
            long end = 0;
            for (Region r : regions) {
                if (r.numVars() > params.numVars() || r.offset() < end || r.offset() % (1L << r.numVars()) != 0) {
                    return null;
                }
                end = r.offset() + (1L << r.numVars());
            }
            return end > params.entries() ? null : new Commitment(root, params, regions);
        }
    }

    public static Header readHeader(ByteSource in) throws MalformedInputException {
        byte[] root = in.bytes("commitment root", 32);
        return new Header(root, PcsParams.read(in));
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
        Header h = readHeader(in);
        byte[] root = h.root();
        PcsParams p = h.params();
        int n = in.count("region count", 1 << 20);
        List<Region> regions = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Map<String, List<Region>> pieces = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.utf8("region name", 4096);
            int flags = in.u8("region numVars");
            int nv = flags & ~PIECE_FLAG;
            long off = in.u64("region offset");
            if (nv > p.numVars() || off < 0 || off % (1L << nv) != 0 || off + (1L << nv) > p.entries()) {
                throw new MalformedInputException("region " + name + " does not fit the committed polynomial");
            }
            if ((flags & PIECE_FLAG) == 0) {
                if (!names.add(name)) {
                    throw new MalformedInputException("region " + name + " appears twice");
                }
                regions.add(new Region(name, nv, off));
                continue;
            }
            String tensor = name;
            List<Region> same = pieces.computeIfAbsent(tensor, k -> new ArrayList<>());
            name = TensorCodePcs.pieceName(tensor, same.size());
            if (!names.add(name)) {
                throw new MalformedInputException("region " + name + " appears twice");
            }
            int tv = in.u8("piece tensor numVars");
            long free = in.u64("piece free bits");
            long fixed = in.u64("piece fixed bits");
            Region r;
            try {
                r = new Region(name, nv, off, tensor, tv, free, fixed);
            } catch (IllegalArgumentException e) {
                throw new MalformedInputException(e.getMessage());
            }
            if (!r.isPiece()) {
                throw new MalformedInputException("piece " + name + " is named as its tensor");
            }
            if (same.size() >= MAX_PIECES) {
                throw new MalformedInputException("tensor " + tensor + " has more than " + MAX_PIECES + " pieces");
            }
            for (Region o : same) {
                if (o.tensorVars() != tv) {
                    throw new MalformedInputException("pieces of " + tensor + " disagree on its size");
                }
                if (o.piece().overlaps(r.piece())) {
                    throw new MalformedInputException("pieces " + o.name() + " and " + name + " of " + tensor + " overlap");
                }
            }
            same.add(r);
            regions.add(r);
        }
        for (String tensor : pieces.keySet()) {
            if (names.contains(tensor)) {
                throw new MalformedInputException("tensor " + tensor + " is committed both whole and in pieces");
            }
        }
        return new Commitment(root, p, regions);
    }
}
