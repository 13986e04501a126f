package dev.zkspark.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.datasets.AccuracyEvaluation;
import dev.zkspark.datasets.Bundled;
import dev.zkspark.datasets.format.AtomicFile;
import dev.zkspark.datasets.format.ModelFiles;
import dev.zkspark.datasets.tokenizer.Tokenizer;
import dev.zkspark.datasets.tokenizer.Tokenizers;
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

    @Option(names = "--json", paramLabel = "FILE",
            description = "also write every row as JSON to FILE (atomically; parent directories are created), e.g. for notebooks/accuracy.ipynb")
    Path json;

    @Override
    public void run() {
        if (json != null) {
            checkWritable(json);
        }
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
        List<String[]> settings = AccuracyEvaluation.standardSettings();
        try (Progress bar = Progress.start("evaluating settings", settings.size())) {
            for (String[] st : settings) {
                AccuracyEvaluation.Row r = ev.evaluate(st[0], base.withWeightBits(Integer.parseInt(st[1])));
                rows.add(r);
                bar.advance(1);
                line(out, r.setting(), "prompts", r.prompts(), r.identicalGenerations() + "/" + r.generations());
                line(out, "", "held-out", r.heldOut(), "");
            }
        }
        AccuracyEvaluation.Row def = rows.get(0);
        if (json != null) {
            AtomicFile.write(json, toJson(model == null ? "bundled" : model.toString(), ck.config().parameterCount(), base, rows));
        }
        out.printf("default quantization: %s%n", base.describe());
        out.printf("elapsed: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.printf("top1 agreement: %.2f%%%n", def.all().top1Percent());
        out.printf("perplexity delta: %.3f%%%n", def.heldOut().perplexityDeltaPercent());
    }

    /**
     * The report as JSON: one object per table row (prompts and held-out for each setting) plus the
     * two headline numbers. Non-finite values (a data set with no positions) are written as null.
     */
    static byte[] toJson(String modelName, long parameters, QuantParams base, List<AccuracyEvaluation.Row> rows) {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("model", modelName);
        root.put("parameters", parameters);
        root.put("quant_default", base.describe());
        ArrayNode arr = root.putArray("rows");
        for (AccuracyEvaluation.Row r : rows) {
            rowJson(arr.addObject(), r, "prompts", r.prompts(), true);
            rowJson(arr.addObject(), r, "held-out", r.heldOut(), false);
        }
        AccuracyEvaluation.Row def = rows.get(0);
        putNumber(root, "top1_agreement_percent", def.all().top1Percent());
        putNumber(root, "perplexity_delta_percent", def.heldOut().perplexityDeltaPercent());
        try {
            return (om.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the accuracy report", e);
        }
    }

    private static void rowJson(ObjectNode o, AccuracyEvaluation.Row r, String data, Accuracy.Stats s, boolean withGenerations) {
        o.put("setting", r.setting());
        o.put("weight_bits", r.params().weightBits());
        o.put("data", data);
        o.put("positions", s.positions());
        putNumber(o, "top1_percent", s.top1Percent());
        putNumber(o, "max_abs_err", s.maxAbsErr());
        putNumber(o, "mean_abs_err", s.meanAbsErr());
        putNumber(o, "ppl_float", s.perplexityFloat());
        putNumber(o, "ppl_fixed", s.perplexityFixed());
        putNumber(o, "ppl_delta_percent", s.perplexityDeltaPercent());
        if (withGenerations) {
            o.put("identical_generations", r.identicalGenerations());
            o.put("generations", r.generations());
        } else {
            o.putNull("identical_generations");
            o.putNull("generations");
        }
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /**
     * Fails before the (minutes-long) evaluation when the --json file cannot be created: the nearest
     * existing ancestor must be a writable directory, and the file itself must not be a directory.
     */
    private static void checkWritable(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw ZksparkException.badInput(file + ": cannot write the JSON report (is a directory)");
        }
        Path dir = abs.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir != null && !Files.isDirectory(dir)) {
            throw ZksparkException.badInput(file + ": cannot write the JSON report (" + dir + " is not a directory)");
        }
        if (dir != null && !Files.isWritable(dir)) {
            throw ZksparkException.badInput(file + ": cannot write the JSON report (" + dir + " is not writable)");
        }
    }

    private static void line(PrintStream out, String setting, String data, Accuracy.Stats s, String same) {
        out.printf("%-16s %-10s %8.2f %9.4f %9.5f %10.3f %10.3f %8.3f %11s%n", setting, data, s.top1Percent(), s.maxAbsErr(),
                s.meanAbsErr(), s.perplexityFloat(), s.perplexityFixed(), s.perplexityDeltaPercent(), same);
    }

    private Tokenizer loadTokenizer(Checkpoint ck) {
        Path t = tokenizer != null ? tokenizer : Tokenizers.findNextTo(model);
        if (t == null) {
            throw ZksparkException.badInput("no tokenizer.json or tokenizer.bin next to " + model + "; pass --tokenizer");
        }
        return Tokenizers.read(t, ck.config().vocab());
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
