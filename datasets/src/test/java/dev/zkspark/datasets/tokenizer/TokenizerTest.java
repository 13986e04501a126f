package dev.zkspark.datasets.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.zkspark.core.ZksparkException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built vocabularies whose expected ids are worked out by hand in the comments. */
class TokenizerTest {
    /**
     * HF vocabulary: 0 <unk>, 1 <s>, 2 </s>, 3 <0x21> ('!'), 4 ▁, 5 h, 6 i, 7 t, 8 ▁h, 9 hi, 10 ▁hi, 11 ▁t.
     * Merges by rank: (h,i) 0, (▁,hi) 1, (▁,h) 2, (▁,t) 3.
     * "hi hit!" -> ▁ h i ▁ h i t <0x21>; rank 0 merges both "h i": ▁ hi ▁ hi t !; rank 1: ▁hi ▁hi t !
     * -> ids 10 10 7 3.
     */
    static final String HF = "{\"model\": {\"type\": \"BPE\", \"byte_fallback\": true, \"vocab\": {\"<unk>\": 0, \"<s>\": 1,"
            + " \"</s>\": 2, \"<0x21>\": 3, \"\u2581\": 4, \"h\": 5, \"i\": 6, \"t\": 7, \"\u2581h\": 8, \"hi\": 9,"
            + " \"\u2581hi\": 10, \"\u2581t\": 11}, \"merges\": [\"h i\", \"\u2581 hi\", \"\u2581 h\", \"\u2581 t\"]}}";

    @Test
    void huggingFaceBpeMatchesHandWorkedIds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, HF, StandardCharsets.UTF_8);
        HfBpeTokenizer t = HfBpeTokenizer.read(f);
        assertArrayEquals(new int[] {1, 10, 10, 7, 3}, t.encode("hi hit!", true));
        assertArrayEquals(new int[] {11, 5}, t.encode("th", false)); // ▁ t h -> rank 3 gives ▁t h
        assertEquals("hi hit!", t.decode(t.encode("hi hit!", true)));
        Files.writeString(f, "{\"model\": {\"type\": \"Unigram\"}}");
        assertEquals(ZksparkException.Code.UNSUPPORTED, assertThrows(ZksparkException.class, () -> HfBpeTokenizer.read(f)).code());
        Files.writeString(f, "{not json");
        assertThrows(ZksparkException.class, () -> HfBpeTokenizer.read(f));
    }

    /**
     * llama2.c vocabulary (scores decide merges): 0 <unk>, 1 <s>, 2 </s>, 3..258 bytes, 259 " ", 260 "a",
     * 261 "b", 262 "ab" (score -1), 263 " ab" (score -2), 264 "ba" (score -3).
     * "ab ba" -> " " a b " " b a; best score first: "ab" (-1) -> " " ab " " b a; then " ab" (-2) -> " ab" " " b a;
     * then "ba" (-3) -> " ab" " " ba -> ids 263 259 264.
     */
    @Test
    void llama2cTokenizerMatchesHandWorkedIds() {
        String[] v = new String[265];
        float[] s = new float[265];
        v[0] = "<unk>";
        v[1] = "\n<s>\n";
        v[2] = "\n</s>\n";
        for (int b = 0; b < 256; b++) {
            v[3 + b] = String.format("<0x%02X>", b);
        }
        v[259] = " ";
        v[260] = "a";
        v[261] = "b";
        v[262] = "ab";
        s[262] = -1;
        v[263] = " ab";
        s[263] = -2;
        v[264] = "ba";
        s[264] = -3;
        Llama2cTokenizer t = new Llama2cTokenizer(v, s);
        assertArrayEquals(new int[] {1, 263, 259, 264}, t.encode("ab ba", true));
        assertEquals("ab ba", t.decode(t.encode("ab ba", true)));
        // a character without a token falls back to its UTF-8 bytes: "é" = C3 A9 -> 3+0xC3, 3+0xA9
        assertArrayEquals(new int[] {259, 3 + 0xC3, 3 + 0xA9}, t.encode("\u00e9", false));
        assertEquals("\u00e9", t.decode(t.encode("\u00e9", false)));
        assertThrows(ZksparkException.class, () -> t.decode(new int[] {999}));
    }

    @Test
    void truncatedTokenizerBinIsRejected() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(4).array());
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f).putInt(1).array());
        b.write('a');
        assertThrows(ZksparkException.class, () -> Llama2cTokenizer.read(b.toByteArray(), 3, "test"));
        assertEquals(1, Llama2cTokenizer.read(b.toByteArray(), 1, "test").vocabSize());
    }
}
