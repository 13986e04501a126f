package dev.zkspark.datasets.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.LlamaConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face safetensors checkpoints: a directory with {@code config.json} and either
 * {@code model.safetensors} or shards listed in {@code model.safetensors.index.json}. Each file is a
 * little-endian u64 header length, a JSON header mapping tensor names to dtype, shape and byte
 * offsets, then the data. F32, F16 and BF16 are read (converted to float32); tensors are read with
 * positional reads, so files of any size work. Names and layouts are Hugging Face Llama's, which is
 * {@link Checkpoint}'s own convention.
 */
public final class SafetensorsFormat {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private SafetensorsFormat() {}

    /** Reads a checkpoint directory (or a .safetensors file whose directory holds config.json). */
    public static Checkpoint read(Path path) {
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        LlamaConfig c = readConfig(dir.resolve("config.json"));
        Map<String, Path> files = new LinkedHashMap<>();
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isDirectory(path) && Files.exists(index)) {
            JsonNode map = parseJson(index).path("weight_map");
            if (!map.isObject()) {
                throw ZksparkException.badInput(index + ": no weight_map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                files.put(e.getKey(), dir.resolve(e.getValue().asText()));
            }
        }
        Map<String, int[]> want = Checkpoint.expectedShapes(c);
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<Path, Header> headers = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : want.entrySet()) {
            String name = e.getKey();
            Path file = files.getOrDefault(name, Files.isDirectory(path) ? dir.resolve("model.safetensors") : path);
            Header h = headers.computeIfAbsent(file, SafetensorsFormat::readHeader);
            Entry t = h.entries.get(name);
            if (t == null) {
                throw ZksparkException.badInput(file + ": missing tensor " + name);
            }
            if (!Arrays.equals(t.shape, e.getValue())) {
                throw ZksparkException.badInput(file + ": tensor " + name + " has shape " + Arrays.toString(t.shape)
                        + ", expected " + Arrays.toString(e.getValue()));
            }
            tensors.put(name, readTensor(file, h, name, t));
        }
        return new Checkpoint(c, tensors, want);
    }

    /** Writes config.json and the tensors (dtype F32, F16 or BF16) in {@code shards} files, atomically per file. */
    public static void write(Checkpoint ck, Path dir, String dtype, int shards) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(configJson(ck.config())));
            List<String> names = ck.names();
            ObjectNode weightMap = JSON.createObjectNode();
            for (int s = 0; s < shards; s++) {
                List<String> part = names.subList(names.size() * s / shards, names.size() * (s + 1) / shards);
                String fname = shards == 1 ? "model.safetensors" : String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
                writeFile(ck, part, dir.resolve(fname), dtype);
                for (String n : part) {
                    weightMap.put(n, fname);
                }
            }
            if (shards > 1) {
                ObjectNode idx = JSON.createObjectNode();
                idx.putObject("metadata");
                idx.set("weight_map", weightMap);
                writeAtomically(dir.resolve("model.safetensors.index.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(idx));
            }
        } catch (IOException e) {
            throw ZksparkException.badInput(dir + ": cannot write (" + e.getMessage() + ")");
        }
    }

    static LlamaConfig readConfig(Path file) {
        JsonNode j = parseJson(file);
        try {
            int heads = need(j, "num_attention_heads", file);
            return new LlamaConfig(need(j, "hidden_size", file), need(j, "intermediate_size", file),
                    need(j, "num_hidden_layers", file), heads, j.path("num_key_value_heads").asInt(heads),
                    need(j, "vocab_size", file), j.path("max_position_embeddings").asInt(2048),
                    (float) j.path("rms_norm_eps").asDouble(1e-6), (float) j.path("rope_theta").asDouble(10000),
                    j.path("tie_word_embeddings").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw ZksparkException.badInput(file + ": " + e.getMessage());
        }
    }

    static ObjectNode configJson(LlamaConfig c) {
        ObjectNode j = JSON.createObjectNode();
        j.putArray("architectures").add("LlamaForCausalLM");
        j.put("model_type", "llama");
        j.put("hidden_size", c.dim());
        j.put("intermediate_size", c.hiddenDim());
        j.put("num_hidden_layers", c.layers());
        j.put("num_attention_heads", c.heads());
        j.put("num_key_value_heads", c.kvHeads());
        j.put("vocab_size", c.vocab());
        j.put("max_position_embeddings", c.maxSeq());
        j.put("rms_norm_eps", c.normEps());
        j.put("rope_theta", c.ropeTheta());
        j.put("tie_word_embeddings", c.tiedEmbeddings());
        return j;
    }

    private static int need(JsonNode j, String key, Path file) {
        JsonNode v = j.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw ZksparkException.badInput(file + ": missing or invalid " + key);
        }
        return v.asInt();
    }

    private record Entry(String dtype, int[] shape, long begin, long end) {}

    private record Header(long dataStart, long fileSize, Map<String, Entry> entries) {}

    private static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (size < 8 || ch.read(lenBuf, 0) != 8) {
                throw ZksparkException.badInput(file + ": too short for a safetensors header");
            }
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER || 8 + n > size) {
                throw ZksparkException.badInput(file + ": not a safetensors file (header length " + n + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            ch.read(hb, 8);
            JsonNode j;
            try {
                j = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw ZksparkException.badInput(file + ": malformed safetensors header (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            if (j == null || !j.isObject()) {
                throw ZksparkException.badInput(file + ": malformed safetensors header");
            }
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode v = e.getValue();
                JsonNode shape = v.path("shape");
                JsonNode off = v.path("data_offsets");
                if (!shape.isArray() || !off.isArray() || off.size() != 2) {
                    throw ZksparkException.badInput(file + ": tensor " + e.getKey() + " has a malformed header entry");
                }
                int[] s = new int[shape.size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = shape.get(i).asInt();
                }
                entries.put(e.getKey(), new Entry(v.path("dtype").asText(), s, off.get(0).asLong(), off.get(1).asLong()));
            }
            return new Header(8 + n, size, entries);
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static float[] readTensor(Path file, Header h, String name, Entry t) {
        int width = switch (t.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> throw ZksparkException.unsupported(file + ": tensor " + name + " has dtype " + t.dtype() + " (F32, F16, BF16 are read)");
        };
        long count = 1;
        for (int d : t.shape()) {
            count *= d;
        }
        if (t.begin() < 0 || t.end() - t.begin() != count * width || h.dataStart() + t.end() > h.fileSize()) {
            throw ZksparkException.badInput(file + ": tensor " + name + " data is truncated or its offsets do not match its shape");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (count * width)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = h.dataStart() + t.begin();
            while (b.hasRemaining()) {
                if (ch.read(b, pos + b.position()) < 0) {
                    throw ZksparkException.badInput(file + ": tensor " + name + " is truncated");
                }
            }
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read tensor " + name + " (" + e.getMessage() + ")");
        }
        b.flip();
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.dtype()) {
                case "F32" -> b.getFloat();
                case "F16" -> halfToFloat(b.getShort());
                default -> Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
            };
        }
        return out;
    }

    private static void writeFile(Checkpoint ck, List<String> names, Path file, String dtype) throws IOException {
        int width = dtype.equals("F32") ? 4 : 2;
        ObjectNode header = JSON.createObjectNode();
        long off = 0;
        for (String n : names) {
            ObjectNode e = header.putObject(n);
            e.put("dtype", dtype);
            var shape = e.putArray("shape");
            for (int d : ck.shape(n)) {
                shape.add(d);
            }
            long len = (long) ck.tensor(n).length * width;
            e.putArray("data_offsets").add(off).add(off + len);
            off += len;
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int pad = (8 - h.length % 8) % 8;
        byte[] hp = Arrays.copyOf(h, h.length + pad);
        Arrays.fill(hp, h.length, hp.length, (byte) ' ');
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length).array());
            out.write(hp);
            for (String n : names) {
                float[] a = ck.tensor(n);
                ByteBuffer b = ByteBuffer.allocate(a.length * width).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : a) {
                    switch (dtype) {
                        case "F32" -> b.putFloat(v);
                        case "F16" -> b.putShort(floatToHalf(v));
                        case "BF16" -> b.putShort((short) (bf16Round(v) >>> 16));
                        default -> throw ZksparkException.unsupported("writing dtype " + dtype);
                    }
                }
                out.write(b.array());
            }
        });
    }

    /** IEEE 754 binary16 to float32 (exact). */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 16777216f; // mant * 2^-24
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to binary16, rounding to nearest even (overflow to infinity). */
    static short floatToHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mant = bits & 0x7FFFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 : 0));
        }
        if (exp >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exp << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** float32 bits rounded to nearest even bfloat16 (in the high 16 bits). */
    private static int bf16Round(float v) {
        int bits = Float.floatToIntBits(v);
        return bits + 0x7FFF + ((bits >>> 16) & 1) & 0xFFFF0000;
    }

    private static void writeAtomically(Path file, byte[] data) {
        AtomicFile.write(file, out -> out.write(data));
    }

    private static JsonNode parseJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw ZksparkException.badInput(file + ": no such file");
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": malformed JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

}
