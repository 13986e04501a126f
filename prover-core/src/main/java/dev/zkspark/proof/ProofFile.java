package dev.zkspark.proof;

import dev.zkspark.core.ByteSink;
import dev.zkspark.core.ByteSource;
import dev.zkspark.core.MalformedInputException;
import dev.zkspark.transcript.Hash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The versioned binary proof container (DESIGN §5): magic {@code "ZKSPARKP"}, format version
 * (u16 major, u16 minor), hash id, flags (bit 0: zero knowledge), the encoded statement, then named
 * sections (name, layer index or -1, length-prefixed bytes). Everything is little-endian. A reader
 * accepts only its own major version and says which version it got; every length is checked
 * against the bytes left and the limits below before anything is allocated, and trailing bytes are
 * an error. Sections are opaque here: each protocol parses its own.
 */
public final class ProofFile {
    public static final byte[] MAGIC = "ZKSPARKP".getBytes(StandardCharsets.US_ASCII);
    /**
     * 5.0: openings grind 20 proof-of-work bits (16 before) and inner openings of committed rows
     * target 104 and 106 bits (128 and 136 before), so every opening's query counts and inner
     * parameters change and 4.x proofs are refused as older (pcs.PcsParams.GRIND_BITS, INNER_BITS);
     * the witness-commitment section is the root and parameters only, its regions laid out by the
     * verifier (30 kB less for the stories15M shape).
     * 4.0: every tensor-code opening starts with a rows mode byte and may commit its combined rows
     * instead of sending them (pcs.CommittedRows); the chooser's shapes change with it, so 3.x
     * proofs are refused as older. 3.0: the head (final norm, LM head, greedy check) is proved at the output positions only, so
     * the witness and its commitment have another layout; 2.x proofs (every position's logits) and
     * 1.0 proofs (before zero knowledge) are refused as older. 2.0: zero-knowledge sections,
     * F_p^3 mask rows in every commitment's columns, the proof-of-work nonce in every opening.
     */
    public static final int MAJOR = 5;
    public static final int MINOR = 0;
    public static final int FLAG_ZK = 1;
    /** Largest accepted proof file (a proof is meant to be small; this stops hostile sizes early). */
    public static final int MAX_BYTES = 256 << 20;
    static final int MAX_SECTIONS = 1 << 16;

    /** One named part of a proof: which protocol step produced it and where in the model. */
    public record Section(String name, int layer, byte[] bytes) {
        public Section {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        public int size() {
            return bytes.length;
        }
    }

    private final Hash hash;
    private final int flags;
    private final byte[] statement;
    private final List<Section> sections;

    public ProofFile(Hash hash, int flags, byte[] statement, List<Section> sections) {
        this.hash = hash;
        this.flags = flags;
        this.statement = statement.clone();
        this.sections = List.copyOf(sections);
    }

    public Hash hash() {
        return hash;
    }

    public boolean zeroKnowledge() {
        return (flags & FLAG_ZK) != 0;
    }

    public byte[] statement() {
        return statement.clone();
    }

    public List<Section> sections() {
        return sections;
    }

    /** The first section with this name, or null. */
    public Section section(String name) {
        for (Section s : sections) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    public byte[] toBytes() {
        ByteSink out = new ByteSink().bytes(MAGIC);
        out.u8(MAJOR).u8(MAJOR >>> 8).u8(MINOR).u8(MINOR >>> 8);
        out.u8(hash.id()).u8(flags).blob(statement).u32(sections.size());
        for (Section s : sections) {
            out.utf8(s.name()).u32(s.layer()).blob(s.bytes);
        }
        return out.toByteArray();
    }

    public byte[] digest() {
        return Hash.SHA256.digest(toBytes());
    }

    /** Parses a proof file; any malformation is a {@link MalformedInputException} with its reason. */
    public static ProofFile parse(byte[] b) throws MalformedInputException {
        if (b.length > MAX_BYTES) {
            throw new MalformedInputException("proof is " + b.length + " bytes, more than the " + MAX_BYTES + " accepted");
        }
        ByteSource in = new ByteSource(b);
        byte[] magic = in.bytes("magic", MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new MalformedInputException("not a zkspark proof (wrong magic)");
        }
        int major = in.u8("version") | (in.u8("version") << 8);
        int minor = in.u8("version") | (in.u8("version") << 8);
        if (major != MAJOR) {
            throw new MalformedInputException("proof format version " + major + "." + minor + " is "
                    + (major > MAJOR ? "newer" : "older") + " than this zkspark (reads " + MAJOR + "." + MINOR + ")");
        }
        Hash hash;
        try {
            hash = Hash.byId(in.u8("hash id"));
        } catch (IllegalArgumentException e) {
            throw new MalformedInputException(e.getMessage());
        }
        int flags = in.u8("flags");
        if ((flags & ~FLAG_ZK) != 0) {
            throw new MalformedInputException("unknown flags " + flags);
        }
        byte[] statement = in.blob("statement", in.remaining());
        int n = in.count("section count", MAX_SECTIONS);
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = in.utf8("section " + i + " name", 1024);
            int layer = in.u32("section " + name + " layer");
            if (layer < -1) {
                throw new MalformedInputException("section " + name + " has layer " + layer);
            }
            sections.add(new Section(name, layer, in.blob("section " + name, in.remaining())));
        }
        in.expectEnd("proof");
        return new ProofFile(hash, flags, statement, sections);
    }
}
