package dev.zkspark.datasets.format;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GGUF v3 checkpoints (llama.cpp): magic "GGUF", version, tensor and metadata counts, typed
 * metadata (llama.* hyper-parameters), tensor infos (name, dims with the fastest-varying first,
 * type, offset) and aligned data. F32, F16, BF16 and Q8_0 (blocks of 32 int8 with an f16 scale,
 * dequantized) are read. llama.cpp names (token_embd, blk.N.attn_q, ...) map to Hugging Face names;
 * llama.cpp stores q/k rows in the interleaved RoPE layout, converted on read and back on write.
 */
public final class GgufFormat {
    static final int F32 = 0;
    static final int F16 = 1;
    static final int Q8_0 = 8;
    static final int BF16 = 30;
    private static final long MAX_STRING = 1 << 20;

    private GgufFormat() {}

    private static final String[][] NAMES = {
        {"input_layernorm.weight", "attn_norm.weight"}, {"self_attn.q_proj.weight", "attn_q.weight"},
        {"self_attn.k_proj.weight", "attn_k.weight"}, {"self_attn.v_proj.weight", "attn_v.weight"},
        {"self_attn.o_proj.weight", "attn_output.weight"}, {"post_attention_layernorm.weight", "ffn_norm.weight"},
        {"mlp.gate_proj.weight", "ffn_gate.weight"}, {"mlp.up_proj.weight", "ffn_up.weight"}, {"mlp.down_proj.weight", "ffn_down.weight"}};

    static String ggufName(String hf) {
        if (hf.equals("model.embed_tokens.weight")) {
            return "token_embd.weight";
        }
        if (hf.equals("model.norm.weight")) {
            return "output_norm.weight";
        }
        if (hf.equals("lm_head.weight")) {
            return "output.weight";
        }
        String rest = hf.substring("model.layers.".length());
        int dot = rest.indexOf('.');
        String suffix = rest.substring(dot + 1);
        for (String[] n : NAMES) {
            if (n[0].equals(suffix)) {
                return "blk." + rest.substring(0, dot) + "." + n[1];
            }
        }
        throw new IllegalArgumentException("no GGUF name for " + hf);
    }

    private record Info(int type, long[] dims, long offset) {}

    public static Checkpoint read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Reader r = new Reader(ch, size, file);
            if (r.u32() != 0x46554747) {
                throw ZksparkException.badInput(file + ": not a GGUF file (wrong magic)");
            }
            int version = r.u32();
            if (version != 3 && version != 2) {
                throw ZksparkException.unsupported(file + ": GGUF version " + version + " (2 and 3 are read)");
            }
            long nTensors = r.u64();
            long nKv = r.u64();
            if (nTensors < 0 || nTensors > 1 << 20 || nKv < 0 || nKv > 1 << 20) {
                throw ZksparkException.badInput(file + ": implausible tensor or metadata count");
            }
            Map<String, Object> kv = new HashMap<>();
            for (long i = 0; i < nKv; i++) {
                String key = r.str();
                kv.put(key, r.value(r.u32()));
            }
            Map<String, Info> infos = new LinkedHashMap<>();
            for (long i = 0; i < nTensors; i++) {
                String name = r.str();
                int nd = r.u32();
                if (nd < 1 || nd > 4) {
                    throw ZksparkException.badInput(file + ": tensor " + name + " has " + nd + " dimensions");
                }
                long[] dims = new long[nd];
                for (int d = 0; d < nd; d++) {
                    dims[d] = r.u64();
                }
                infos.put(name, new Info(r.u32(), dims, r.u64()));
            }
            long align = kv.get("general.alignment") instanceof Number n ? n.longValue() : 32;
            long dataStart = (r.pos + align - 1) / align * align;
            LlamaConfig c = config(kv, infos, file);
            Map<String, float[]> tensors = new LinkedHashMap<>();
            Map<String, int[]> shapes = Checkpoint.expectedShapes(c);
            for (Map.Entry<String, int[]> e : shapes.entrySet()) {
                String gname = ggufName(e.getKey());
                Info info = infos.get(gname);
                if (info == null) {
                    throw ZksparkException.badInput(file + ": missing tensor " + gname + " (" + e.getKey() + ")");
                }
                int[] want = e.getValue();
                long[] rev = new long[want.length];
                for (int d = 0; d < want.length; d++) {
                    rev[d] = want[want.length - 1 - d];
                }
                if (!java.util.Arrays.equals(rev, info.dims())) {
                    throw ZksparkException.badInput(file + ": tensor " + gname + " has dims " + java.util.Arrays.toString(info.dims())
                            + ", expected " + java.util.Arrays.toString(rev));
                }
                float[] t = data(ch, file, gname, info, dataStart, size);
                if (e.getKey().endsWith("q_proj.weight")) {
                    t = Llama2cFormat.toRotateHalf(t, c.heads(), c.headDim(), c.dim());
                } else if (e.getKey().endsWith("k_proj.weight")) {
                    t = Llama2cFormat.toRotateHalf(t, c.kvHeads(), c.headDim(), c.dim());
                }
                tensors.put(e.getKey(), t);
            }
            return new Checkpoint(c, tensors, shapes);
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static LlamaConfig config(Map<String, Object> kv, Map<String, Info> infos, Path file) {
        Object arch = kv.get("general.architecture");
        if (arch != null && !"llama".equals(arch)) {
            throw ZksparkException.unsupported(file + ": architecture " + arch + " (llama is read)");
        }
        int dim = intKey(kv, "llama.embedding_length", file);
        int heads = intKey(kv, "llama.attention.head_count", file);
        Info emb = infos.get("token_embd.weight");
        if (emb == null) {
            throw ZksparkException.badInput(file + ": missing tensor token_embd.weight");
        }
        int vocab = kv.get("llama.vocab_size") instanceof Number n ? n.intValue() : (int) emb.dims()[1];
        try {
            return new LlamaConfig(dim, intKey(kv, "llama.feed_forward_length", file), intKey(kv, "llama.block_count", file), heads,
                    kv.get("llama.attention.head_count_kv") instanceof Number n ? n.intValue() : heads, vocab,
                    intKey(kv, "llama.context_length", file),
                    kv.get("llama.attention.layer_norm_rms_epsilon") instanceof Number n ? n.floatValue() : 1e-5f,
                    kv.get("llama.rope.freq_base") instanceof Number n ? n.floatValue() : 10000f, !infos.containsKey("output.weight"));
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput(file + ": " + e.getMessage());
        }
    }

    private static int intKey(Map<String, Object> kv, String key, Path file) {
        if (!(kv.get(key) instanceof Number n)) {
            throw ZksparkException.badInput(file + ": missing metadata " + key);
        }
        return n.intValue();
    }

    private static float[] data(FileChannel ch, Path file, String name, Info info, long dataStart, long size) throws IOException {
        long count = 1;
        for (long d : info.dims()) {
            count *= d;
        }
        long bytes = switch (info.type()) {
            case F32 -> 4 * count;
            case F16, BF16 -> 2 * count;
            case Q8_0 -> count / 32 * 34;
            default -> throw ZksparkException.unsupported(file + ": tensor " + name + " has GGUF type " + info.type()
                    + " (F32, F16, BF16, Q8_0 are read)");
        };
        if (info.type() == Q8_0 && count % 32 != 0) {
            throw ZksparkException.badInput(file + ": Q8_0 tensor " + name + " size is not a multiple of 32");
        }
        long start = dataStart + info.offset();
        if (info.offset() < 0 || start + bytes > size || count > Integer.MAX_VALUE) {
            throw ZksparkException.badInput(file + ": tensor " + name + " data is truncated");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) {
                throw ZksparkException.badInput(file + ": tensor " + name + " data is truncated");
            }
        }
        b.flip();
        float[] out = new float[(int) count];
        switch (info.type()) {
            case F32 -> b.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = SafetensorsFormat.halfToFloat(b.getShort());
                }
            }
            case BF16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
                }
            }
            default -> {
                for (int blk = 0; blk < out.length / 32; blk++) {
                    float d = SafetensorsFormat.halfToFloat(b.getShort());
                    for (int i = 0; i < 32; i++) {
                        out[blk * 32 + i] = d * b.get();
                    }
                }
            }
        }
        return out;
    }

    /** Bounded little-endian reads of the GGUF header through the channel. */
    private static final class Reader {
        final FileChannel ch;
        final long size;
        final Path file;
        long pos;

        Reader(FileChannel ch, long size, Path file) {
            this.ch = ch;
            this.size = size;
            this.file = file;
        }

        ByteBuffer take(long n) throws IOException {
            if (n < 0 || pos + n > size) {
                throw ZksparkException.badInput(file + ": truncated GGUF header");
            }
            ByteBuffer b = ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                ch.read(b, pos + b.position());
            }
            pos += n;
            b.flip();
            return b;
        }

        int u32() throws IOException {
            return take(4).getInt();
        }

        long u64() throws IOException {
            return take(8).getLong();
        }

        String str() throws IOException {
            long n = u64();
            if (n < 0 || n > MAX_STRING) {
                throw ZksparkException.badInput(file + ": implausible GGUF string length " + n);
            }
            return StandardCharsets.UTF_8.decode(take(n)).toString();
        }

        Object value(int type) throws IOException {
            return switch (type) {
                case 0 -> (int) take(1).get();
                case 1 -> take(1).get() & 0xFF;
                case 2 -> (int) take(2).getShort();
                case 3 -> take(2).getShort() & 0xFFFF;
                case 4, 5 -> take(4).getInt();
                case 6 -> take(4).getFloat();
                case 7 -> take(1).get() != 0;
                case 8 -> str();
                case 10, 11 -> take(8).getLong();
                case 12 -> take(8).getDouble();
                case 9 -> {
                    int et = u32();
                    long n = u64();
                    if (n < 0 || n > 1 << 24) {
                        throw ZksparkException.badInput(file + ": implausible GGUF array length " + n);
                    }
                    List<Object> a = new ArrayList<>();
                    for (long i = 0; i < n; i++) {
                        a.add(value(et));
                    }
                    yield a;
                }
                default -> throw ZksparkException.badInput(file + ": unknown GGUF metadata type " + type);
            };
        }
    }

    /** Writes GGUF v3 with the given tensor type (F32, F16 or Q8_0), atomically. */
    public static void write(Checkpoint ck, Path file, int type) {
        LlamaConfig c = ck.config();
        AtomicFile.write(file, out -> {
            Writer w = new Writer(out);
            w.u32(0x46554747).u32(3);
            List<String> names = ck.names();
            w.u64(names.size());
            Map<String, Object> kv = new LinkedHashMap<>();
            kv.put("general.architecture", "llama");
            kv.put("general.alignment", 32);
            kv.put("llama.embedding_length", c.dim());
            kv.put("llama.feed_forward_length", c.hiddenDim());
            kv.put("llama.block_count", c.layers());
            kv.put("llama.attention.head_count", c.heads());
            kv.put("llama.attention.head_count_kv", c.kvHeads());
            kv.put("llama.context_length", c.maxSeq());
            kv.put("llama.vocab_size", c.vocab());
            kv.put("llama.attention.layer_norm_rms_epsilon", c.normEps());
            kv.put("llama.rope.freq_base", c.ropeTheta());
            w.u64(kv.size());
            for (Map.Entry<String, Object> e : kv.entrySet()) {
                w.str(e.getKey());
                if (e.getValue() instanceof String s) {
                    w.u32(8).str(s);
                } else if (e.getValue() instanceof Float f) {
                    w.u32(6).f32(f);
                } else {
                    w.u32(4).u32((Integer) e.getValue());
                }
            }
            List<byte[]> blobs = new ArrayList<>();
            long off = 0;
            for (String hf : names) {
                float[] t = ck.tensor(hf);
                if (hf.endsWith("q_proj.weight")) {
                    t = Llama2cFormat.toInterleaved(t, c.heads(), c.headDim(), c.dim());
                } else if (hf.endsWith("k_proj.weight")) {
                    t = Llama2cFormat.toInterleaved(t, c.kvHeads(), c.headDim(), c.dim());
                }
                int[] shape = ck.shape(hf);
                int tt = shape.length == 1 ? F32 : type;
                byte[] blob = encode(t, tt);
                w.str(ggufName(hf)).u32(shape.length);
                for (int d = shape.length - 1; d >= 0; d--) {
                    w.u64(shape[d]);
                }
                w.u32(tt).u64(off);
                blobs.add(blob);
                off += (blob.length + 31) / 32 * 32;
            }
            w.pad(32);
            for (byte[] b : blobs) {
                w.bytes(b);
                w.pad(32);
            }
        });
    }

    private static byte[] encode(float[] t, int type) {
        ByteBuffer b;
        switch (type) {
            case F32 -> {
                b = ByteBuffer.allocate(4 * t.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t);
            }
            case F16 -> {
                b = ByteBuffer.allocate(2 * t.length).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : t) {
                    b.putShort(SafetensorsFormat.floatToHalf(v));
                }
            }
            case Q8_0 -> {
                if (t.length % 32 != 0) {
                    throw new IllegalArgumentException("Q8_0 needs multiples of 32 values");
                }
                b = ByteBuffer.allocate(t.length / 32 * 34).order(ByteOrder.LITTLE_ENDIAN);
                for (int blk = 0; blk < t.length / 32; blk++) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) {
                        amax = Math.max(amax, Math.abs(t[blk * 32 + i]));
                    }
                    float d = amax / 127f;
                    short dh = SafetensorsFormat.floatToHalf(d);
                    float dq = SafetensorsFormat.halfToFloat(dh);
                    b.putShort(dh);
                    for (int i = 0; i < 32; i++) {
                        b.put((byte) (dq == 0 ? 0 : Math.max(-127, Math.min(127, Math.round(t[blk * 32 + i] / dq)))));
                    }
                }
            }
            default -> throw ZksparkException.unsupported("writing GGUF type " + type);
        }
        return b.array();
    }

    private static final class Writer {
        final OutputStream out;
        long pos;

        Writer(OutputStream out) {
            this.out = out;
        }

        Writer bytes(byte[] b) throws IOException {
            out.write(b);
            pos += b.length;
            return this;
        }

        Writer u32(int v) throws IOException {
            return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        Writer u64(long v) throws IOException {
            return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        Writer f32(float v) throws IOException {
            return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
        }

        Writer str(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            return bytes(b);
        }

        void pad(int align) throws IOException {
            while (pos % align != 0) {
                bytes(new byte[1]);
            }
        }
    }
}
