package dev.zkspark.datasets.tokenizer;

/** Text to token ids and back (Llama SentencePiece-style BPE). */
public interface Tokenizer {
    /** Ids of {@code text}, with BOS first when asked. */
    int[] encode(String text, boolean bos);

    /** The text of a token sequence (BOS/EOS dropped). */
    String decode(int[] ids);

    int bosId();

    int eosId();

    int vocabSize();
}
