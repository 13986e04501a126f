package dev.zkspark.cli;

import dev.zkspark.core.ZksparkException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bin/zkspark} command line. Exit codes: 0 success, 1 proof rejected, 2 unusable input,
 * 3 not supported, 4 internal error; a usage error also exits 2. Errors are one line on stderr
 * (set ZKSPARK_DEBUG=1 for the stack trace).
 */
@Command(
        name = "zkspark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Zero-knowledge proofs of Llama inference, proved on Apache Spark.",
        subcommands = {DemoCommand.class, CommitModelCommand.class, CommitJobCommand.class, ProveCommand.class, VerifyCommand.class, ProveJobCommand.class, VerifyJobCommand.class, PipelineCommand.class, KeygenCommand.class, AccuracyCommand.class, InspectCommand.class, GenModelCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:proof rejected",
            "2:unusable input (missing or malformed file, bad arguments)",
            "3:not supported",
            "4:internal error"
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // A heap exhausted in a pool thread is reported once, by the thread that waits for it (below).
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!(e instanceof OutOfMemoryError) || System.getenv("ZKSPARK_DEBUG") != null) {
                System.err.println("zkspark: uncaught in thread " + thread.getName() + ": " + e);
            }
        });
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (System.getenv("ZKSPARK_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            if (ex instanceof ZksparkException z) {
                err.println("zkspark: " + z.getMessage());
                return z.code().exitStatus;
            }
            err.println(internalError(ex));
            return ZksparkException.Code.INTERNAL.exitStatus;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("zkspark: " + ex.getMessage());
            err.println("Try 'zkspark " + commandPath(ex.getCommandLine()) + "--help'.");
            return ZksparkException.Code.BAD_INPUT.exitStatus;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // outputs are written atomically, so nothing partial is left behind
            err.println(outOfMemory(Runtime.getRuntime().maxMemory()));
            if (System.getenv("ZKSPARK_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return ZksparkException.Code.INTERNAL.exitStatus;
        }
    }

    /**
     * The one line for an unexpected failure: the exception's class and the first line of its
     * message (a failed Spark job's message goes on with the driver's stack trace; ZKSPARK_DEBUG
     * prints it all).
     */
    static String internalError(Throwable ex) {
        return "zkspark: internal error: " + ex.getClass().getName() + ": "
                + dev.zkspark.spark.io.RequestsTable.firstLine(ex);
    }

    /** The one line for a heap too small for the job. */
    static String outOfMemory(long maxHeap) {
        return "zkspark: out of memory (JVM heap " + (maxHeap >> 20) + " MB): give this JVM more heap "
                + "(bin/zkspark: ZKSPARK_JAVA_OPTS=-Xmx16g; bin/zkspark-submit: --driver-memory, or spark.executor.memory "
                + "for executors); README, Memory";
    }

    private static String commandPath(CommandLine cl) {
        String q = cl.getCommandSpec().qualifiedName(" ");
        return q.startsWith("zkspark") ? q.substring("zkspark".length()).trim() + (q.equals("zkspark") ? "" : " ") : q + " ";
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"zkspark " + (v == null ? "development build" : v)};
        }
    }
}
