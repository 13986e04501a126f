package dev.zkspark.transcript;

/**
 * The hash used by transcripts and Merkle trees (DESIGN §4). Both choices give 256-bit digests, so
 * 128-bit collision resistance, above the 100-bit soundness target. The proof header records
 * {@link #id()}.
 */
public enum Hash {
    /** SHA-256 from the JDK provider: the default (about 2 GB/s here for Merkle nodes). */
    SHA256(1, "sha256"),
    /** BLAKE3 (BouncyCastle), 256-bit output. */
    BLAKE3(2, "blake3");

    public static final int DIGEST_BYTES = 32;

    private final int id;
    private final String label;

    Hash(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public int id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** A fresh, single-threaded digest instance. */
    public Digester newDigester() {
        return this == SHA256 ? new Digester.Sha256() : new Digester.Blake3();
    }

    /** One-shot digest of the concatenation of parts. */
    public byte[] digest(byte[]... parts) {
        Digester d = newDigester();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        return d.digest();
    }

    public static Hash byId(int id) {
        for (Hash h : values()) {
            if (h.id == id) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown hash id " + id);
    }

    public static Hash byLabel(String label) {
        for (Hash h : values()) {
            if (h.label.equalsIgnoreCase(label)) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown hash '" + label + "' (sha256 or blake3)");
    }
}
