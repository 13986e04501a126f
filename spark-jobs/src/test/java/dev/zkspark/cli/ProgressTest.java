package dev.zkspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void rendersPercentCountsAndEta() {
        AtomicLong t = new AtomicLong(0);
        StringWriter out = new StringWriter();
        Progress p = new Progress(new PrintWriter(out, true), true, "prove", 4, t::get);
        t.set(2_000_000_000L);
        p.advance(1);
        String line = p.render(1, t.get());
        assertTrue(line.startsWith("prove [#######"), line);
        assertTrue(line.contains(" 25% 1/4 2s elapsed, ETA 6s"), line);
        assertTrue(out.toString().contains("25%"), "drawn on an enabled bar");
        p.close();
        assertTrue(out.toString().endsWith(System.lineSeparator()));
    }

    @Test
    void totalGrowsAsWorkIsDiscovered() {
        AtomicLong t = new AtomicLong(0);
        Progress p = new Progress(new PrintWriter(new StringWriter(), true), true, "spark", 2, t::get);
        t.set(1_000_000_000L);
        p.advance(1);
        assertTrue(p.render(1, t.get()).contains(" 50% 1/2 "), p.render(1, t.get()));
        p.grow(2);
        assertTrue(p.render(1, t.get()).contains(" 25% 1/4 1s elapsed, ETA 3s"), p.render(1, t.get()));
    }

    @Test
    void silentWhenNotATerminal() {
        StringWriter out = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(out, true), false, "x", 10, System::nanoTime)) {
            p.advance(10);
        }
        assertEquals("", out.toString());
    }

    @Test
    void formatsLongDurations() {
        assertEquals("59s", Progress.formatSeconds(59.4));
        assertEquals("2m05s", Progress.formatSeconds(125));
        assertEquals("1h01m", Progress.formatSeconds(3660));
    }
}
