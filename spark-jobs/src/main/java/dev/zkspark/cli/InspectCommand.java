package dev.zkspark.cli;

import dev.zkspark.core.MalformedInputException;
import dev.zkspark.core.ZksparkException;
import dev.zkspark.proof.ProofFile;
import dev.zkspark.spark.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/zkspark inspect P.proof}: the header and a size breakdown by section and layer. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Show a proof file's header and its size by section and layer.")
final class InspectCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "PROOF", description = "proof file")
    Path file;

    @Option(names = "--json", description = "one JSON object instead of the table")
    boolean json;

    @Override
    public void run() {
        byte[] bytes;
        try {
            if (Files.size(file) > ProofFile.MAX_BYTES) {
                throw ZksparkException.badInput(file + ": larger than the " + ProofFile.MAX_BYTES + " bytes a proof may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw ZksparkException.badInput(file + ": no such file");
        } catch (IOException e) {
            throw ZksparkException.badInput(file + ": cannot read (" + e.getMessage() + ")");
        }
        ProofFile p;
        try {
            p = ProofFile.parse(bytes);
        } catch (MalformedInputException e) {
            throw ZksparkException.badInput(file + ": " + e.getMessage());
        }
        long total = bytes.length;
        Map<Integer, Long> byLayer = new LinkedHashMap<>();
        for (ProofFile.Section s : p.sections()) {
            byLayer.merge(s.layer(), (long) s.size(), Long::sum);
        }
        if (json) {
            StringBuilder sb = new StringBuilder("{\"format\": \"" + ProofFile.MAJOR + "." + ProofFile.MINOR + "\", \"hash\": "
                    + Json.quote(p.hash().label()) + ", \"zk\": " + p.zeroKnowledge() + ", \"statement_bytes\": "
                    + p.statement().length + ", \"total_bytes\": " + total + ", \"sections\": [");
            for (int i = 0; i < p.sections().size(); i++) {
                ProofFile.Section s = p.sections().get(i);
                sb.append(i == 0 ? "" : ", ").append("{\"name\": ").append(Json.quote(s.name())).append(", \"layer\": ")
                        .append(s.layer()).append(", \"bytes\": ").append(s.size()).append('}');
            }
            System.out.println(sb.append("]}"));
            return;
        }
        System.out.printf("format %d.%d, hash %s, zk: %s, statement %d bytes, %d sections, %d bytes%n", ProofFile.MAJOR,
                ProofFile.MINOR, p.hash().label(), p.zeroKnowledge(), p.statement().length, p.sections().size(), total);
        System.out.printf("%-40s %6s %10s %7s%n", "section", "layer", "bytes", "share");
        for (ProofFile.Section s : p.sections()) {
            System.out.printf(Locale.ROOT, "%-40s %6s %10d %6.1f%%%n", s.name(), s.layer() < 0 ? "-" : String.valueOf(s.layer()),
                    s.size(), 100.0 * s.size() / total);
        }
        for (Map.Entry<Integer, Long> e : byLayer.entrySet()) {
            System.out.printf(Locale.ROOT, "%-40s %6s %10d %6.1f%%%n", e.getKey() < 0 ? "total outside layers" : "total layer " + e.getKey(),
                    "", e.getValue(), 100.0 * e.getValue() / total);
        }
    }
}
