package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.AccuracyEvaluation;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.datasets.tokenizer.HfBpeTokenizer;
import dev.zkspark.datasets.tokenizer.Llama2cTokenizer;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.model.Accuracy;
import dev.zkspark.model.Checkpoint;
import dev.zkspark.model.QuantParams;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/zkspark accuracy}: fidelity of the fixed-point model (the computation proofs check)
 * against the float model, at the default quantization and with 12- and 8-bit weights.
 */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = "Compare the fixed-point model with the float model: top-1 agreement, logit error, perplexity.")
final class AccuracyCommand implements Runnable {
    @Option(names = "--model", description = "checkpoint (llama2.c .bin, safetensors file or directory, GGUF); default: the bundled model")
    Path model;

    @Option(names = "--tokenizer", description = "tokenizer.bin (llama2.c) or tokenizer.json (Hugging Face); default: next to --model")
    Path tokenizer;

    @Option(names = "--text", description = "held-out text file for perplexity; default: the bundled held-out text")
    Path text;

    @Option(names = "--max-text-tokens", description = "use at most this many held-out tokens (default: all)")
    Integer maxTextTokens;

    @Option(names = "--window", description = "held-out window length in tokens (default: ${DEFAULT-VALUE}, the bundled model's training context, capped by the model's max sequence)")
    int window = AccuracyEvaluation.DEFAULT_WINDOW;

    @Option(names = "--scale-bits", description = "activation/weight scale bits s of the default setting (default ${DEFAULT-VALUE})")
    int scaleBits = QuantParams.DEFAULT.scaleBits();

    @Override
    public void run() {
        Checkpoint ck = model == null ? Bundled.model() : ModelFiles.load(model);
        Tokenizer tok = model == null && tokenizer == null ? Bundled.tokenizer() : loadTokenizer(ck);
        String held = text == null ? Bundled.heldOutText() : readText(text);
        if (maxTextTokens != null) {
            held = truncate(tok, held, maxTextTokens);
        }
        QuantParams base = QuantParams.DEFAULT;
        if (scaleBits != base.scaleBits()) {
            base = new QuantParams(scaleBits, 0, base.activationBits(), Math.min(base.normScaleBits(), 60 - 2 * scaleBits),
                    base.expDigitBits(), base.expLowDigits(), Math.min(base.sigmoidFracBits(), scaleBits), base.sigmoidIntBits(),
                    Math.max(1, base.rowSumTolerance() >> Math.max(0, base.scaleBits() - scaleBits)));
        }
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        AccuracyEvaluation ev = new AccuracyEvaluation(ck, tok, Bundled.prompts(), held, Math.min(window, ck.config().maxSeq() - 1));
        out.printf("model: %s (%d parameters); %d prompt positions, %d held-out tokens%n",
                model == null ? "bundled" : model, ck.config().parameterCount(), ev.promptPositions(), ev.textTokens());
        out.printf("%-16s %-10s %8s %9s %9s %10s %10s %8s %11s%n", "setting", "data", "top1 %", "max|err|", "mean|err|",
                "ppl float", "ppl fixed", "delta %", "same gen");
        List<AccuracyEvaluation.Row> rows = new ArrayList<>();
        for (String[] st : AccuracyEvaluation.standardSettings()) {
            AccuracyEvaluation.Row r = ev.evaluate(st[0], base.withWeightBits(Integer.parseInt(st[1])));
            rows.add(r);
            line(out, r.setting(), "prompts", r.prompts(), r.identicalGenerations() + "/" + r.generations());
            line(out, "", "held-out", r.heldOut(), "");
        }
        out.printf("default quantization: %s%n", base.describe());
        out.printf("elapsed: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        AccuracyEvaluation.Row def = rows.get(0);
        out.printf("top1 agreement: %.2f%%%n", def.all().top1Percent());
        out.printf("perplexity delta: %.3f%%%n", def.heldOut().perplexityDeltaPercent());
    }

    private static void line(PrintStream out, String setting, String data, Accuracy.Stats s, String same) {
        out.printf("%-16s %-10s %8.2f %9.4f %9.5f %10.3f %10.3f %8.3f %11s%n", setting, data, s.top1Percent(), s.maxAbsErr(),
                s.meanAbsErr(), s.perplexityFloat(), s.perplexityFixed(), s.perplexityDeltaPercent(), same);
    }

    private Tokenizer loadTokenizer(Checkpoint ck) {
        Path t = tokenizer;
        if (t == null) {
            Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
            for (String name : new String[] {"tokenizer.json", "tokenizer.bin"}) {
                if (Files.exists(dir.resolve(name))) {
                    t = dir.resolve(name);
                    break;
                }
            }
            if (t == null) {
                throw ZksparkException.badInput("no tokenizer.json or tokenizer.bin next to " + model + "; pass --tokenizer");
            }
        }
        if (!Files.isRegularFile(t)) {
            throw ZksparkException.badInput(t + ": no such file");
        }
        Tokenizer tk;
        if (t.getFileName().toString().endsWith(".json")) {
            tk = HfBpeTokenizer.read(t);
        } else {
            try {
                tk = Llama2cTokenizer.read(Files.readAllBytes(t), ck.config().vocab(), t.toString());
            } catch (IOException e) {
                throw ZksparkException.badInput(t + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (tk.vocabSize() != ck.config().vocab()) {
            throw ZksparkException.badInput(t + ": tokenizer has " + tk.vocabSize() + " tokens, the model " + ck.config().vocab());
        }
        return tk;
    }

    private static String readText(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ZksparkException.badInput(p + ": cannot read the held-out text (" + e.getMessage() + ")");
        }
    }

    private static String truncate(Tokenizer tok, String text, int maxTokens) {
        if (maxTokens < 2) {
            throw ZksparkException.badInput("--max-text-tokens must be at least 2");
        }
        int[] ids = tok.encode(text, false);
        return ids.length <= maxTokens ? text : tok.decode(java.util.Arrays.copyOf(ids, maxTokens));
    }
}
