package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM settings bin/zkspark picks (bin/lib-build.sh), printed by {@code ZKSPARK_PRINT_JVM=1}
 * without building or starting Java: the parallel collector unless the user names one, huge pages
 * where the kernel offers them, and a pre-touched heap only for proving commands with a fixed
 * maximum heap and huge pages on.
 */
class LauncherJvmTest {
    private static final Path ROOT = projectRoot();
    /** Whether this kernel offers transparent huge pages to programs that ask (as the launcher checks). */
    private static final boolean THP = hugePagesOffered();

    @Test
    void provingCommandsPreTouchAFixedHeapWhereHugePagesAreOn() throws Exception {
        for (String cmd : List.of("prove", "bench", "demo", "prove-job", "pipeline", "commit-model")) {
            List<String> flags = jvm(cmd, "-Xmx3g", null);
            assertTrue(flags.contains("-XX:+UseParallelGC"), cmd + ": " + flags);
            assertEquals(THP, flags.contains("-XX:+UseTransparentHugePages"), cmd + ": " + flags);
            assertEquals(THP, flags.contains("-Xms3g"), cmd + ": " + flags);
            assertEquals(THP, flags.contains("-XX:+AlwaysPreTouch"), cmd + ": " + flags);
        }
    }

    @Test
    void lightCommandsAndUnsizedHeapsAreNotPreTouched() throws Exception {
        for (String cmd : List.of("verify", "inspect", "keygen", "gen-model")) {
            assertNoPreTouch(jvm(cmd, "-Xmx3g", null), cmd);
        }
        assertNoPreTouch(jvm("prove", null, null), "no -Xmx");
        assertNoPreTouch(jvm("prove", "-Xmx3g -Xms1g", null), "user's -Xms");
        assertNoPreTouch(jvm("prove", "-Xmx3g -XX:-AlwaysPreTouch", null), "user's pre-touch choice");
        assertNoPreTouch(jvm("prove", "-Xmx3g", "0"), "ZKSPARK_PRETOUCH=0");
        // without huge pages pre-touching 20 GiB took 55 s here: never
        List<String> noThp = jvm("prove", "-Xmx3g -XX:-UseTransparentHugePages", null);
        assertNoPreTouch(noThp, "huge pages off");
        assertFalse(noThp.contains("-XX:+UseTransparentHugePages"), noThp::toString);
    }

    @Test
    void theUsersCollectorAndHugePagesWin() throws Exception {
        List<String> g1 = jvm("prove", "-XX:+UseG1GC -Xmx2g", null);
        assertFalse(g1.contains("-XX:+UseParallelGC"), g1::toString);
        assertEquals(THP, g1.contains("-Xms2g"), g1::toString);
        // the user's own huge-page flag counts as huge pages on, even where the launcher would not add it
        List<String> own = jvm("bench", "-XX:+UseTransparentHugePages -Xmx2g", null);
        assertFalse(own.contains("-XX:+UseTransparentHugePages"), own::toString);
        assertTrue(own.contains("-Xms2g") && own.contains("-XX:+AlwaysPreTouch"), own::toString);
    }

    private static void assertNoPreTouch(List<String> flags, String what) {
        assertFalse(flags.contains("-XX:+AlwaysPreTouch"), what + ": " + flags);
        assertTrue(flags.stream().noneMatch(f -> f.startsWith("-Xms")), what + ": " + flags);
    }

    /** The launcher's JVM settings for {@code cmd} with ZKSPARK_JAVA_OPTS and ZKSPARK_PRETOUCH as given (null: unset). */
    private static List<String> jvm(String cmd, String javaOpts, String pretouch) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "bin/zkspark", cmd).directory(ROOT.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("ZKSPARK_PRINT_JVM", "1");
        env.remove("ZKSPARK_JAVA_OPTS");
        env.remove("ZKSPARK_PRETOUCH");
        if (javaOpts != null) {
            env.put("ZKSPARK_JAVA_OPTS", javaOpts);
        }
        if (pretouch != null) {
            env.put("ZKSPARK_PRETOUCH", pretouch);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bin/zkspark did not finish");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static boolean hugePagesOffered() {
        try {
            String s = Files.readString(Paths.get("/sys/kernel/mm/transparent_hugepage/enabled"));
            return s.contains("[always]") || s.contains("[madvise]");
        } catch (IOException e) {
            return false;
        }
    }

    private static Path projectRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bin/zkspark")) && Files.isRegularFile(p.resolve("bin/lib-build.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("bin/zkspark not found above " + Paths.get("").toAbsolutePath());
    }
}
