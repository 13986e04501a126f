package dev.zkspark.datasets.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkspark.core.ZksparkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} of the Llama kind: model type BPE with a vocabulary and ranked
 * merges, spaces normalised to "▁" with one prepended, byte fallback to {@code <0xXX>} tokens.
 * Encoding starts from one symbol per character (bytes for characters outside the vocabulary) and
 * repeatedly applies the lowest-ranked merge present, as the Hugging Face BPE model does.
 */
public final class HfBpeTokenizer implements Tokenizer {
    private static final String SPACE = "\u2581";
    private final Map<String, Integer> vocab;
    private final String[] pieces;
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final int bos;
    private final int eos;

    private HfBpeTokenizer(Map<String, Integer> vocab, List<String[]> merges, int bos, int eos) {
        this.vocab = vocab;
        int max = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        pieces = new String[max + 1];
        vocab.forEach((k, v) -> pieces[v] = k);
        for (int i = 0; i < merges.size(); i++) {
            mergeRank.putIfAbsent(merges.get(i)[0] + "\u0000" + merges.get(i)[1], i);
        }
        this.bos = bos;
        this.eos = eos;
    }

    public static HfBpeTokenizer read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": not a readable tokenizer.json (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText())) {
            throw ZksparkException.unsupported(file + ": tokenizer model type '" + model.path("type").asText() + "' (BPE is read)");
        }
        Map<String, Integer> vocab = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        for (JsonNode t : root.path("added_tokens")) {
            vocab.put(t.path("content").asText(), t.path("id").asInt());
        }
        if (vocab.isEmpty()) {
            throw ZksparkException.badInput(file + ": empty vocabulary");
        }
        List<String[]> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            String[] pair = m.isArray() ? new String[] {m.get(0).asText(), m.get(1).asText()} : m.asText().split(" ", 2);
            if (pair.length != 2) {
                throw ZksparkException.badInput(file + ": malformed merge " + m);
            }
            merges.add(pair);
        }
        return new HfBpeTokenizer(vocab, merges, vocab.getOrDefault("<s>", 1), vocab.getOrDefault("</s>", 2));
    }

    @Override
    public int[] encode(String text, boolean bos) {
        String norm = SPACE + text.replace(" ", SPACE);
        List<String> sym = new ArrayList<>();
        for (int i = 0; i < norm.length(); ) {
            int cp = norm.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            if (vocab.containsKey(ch)) {
                sym.add(ch);
            } else {
                for (byte b : ch.getBytes(StandardCharsets.UTF_8)) {
                    sym.add(String.format("<0x%02X>", b & 0xFF));
                }
            }
            i += Character.charCount(cp);
        }
        while (true) {
            int best = Integer.MAX_VALUE;
            int at = -1;
            for (int i = 0; i + 1 < sym.size(); i++) {
                Integer r = mergeRank.get(sym.get(i) + "\u0000" + sym.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
            sym.set(at, sym.get(at) + sym.get(at + 1));
            sym.remove(at + 1);
        }
        int[] ids = new int[sym.size() + (bos ? 1 : 0)];
        int k = 0;
        if (bos) {
            ids[k++] = this.bos;
        }
        for (String s : sym) {
            Integer id = vocab.get(s);
            ids[k++] = id != null ? id : vocab.getOrDefault("<unk>", 0);
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id == bos || id == eos) {
                continue;
            }
            if (id < 0 || id >= pieces.length || pieces[id] == null) {
                throw ZksparkException.badInput("token id " + id + " is outside the vocabulary");
            }
            String p = pieces[id];
            if (p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")) {
                out.write(Integer.parseInt(p.substring(3, 5), 16));
            } else {
                byte[] b = p.replace(SPACE, " ").getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        String s = out.toString(StandardCharsets.UTF_8);
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public int eosId() {
        return eos;
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }
}
