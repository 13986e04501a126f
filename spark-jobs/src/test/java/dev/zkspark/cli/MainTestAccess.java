package dev.zkspark.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI from tests in other packages. */
public final class MainTestAccess {
    private MainTestAccess() {}

    public static int run(String... args) {
        return Main.execute(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }
}
