package io.kho4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** Runs kho in-process with captured stdout and stderr. */
final class Cli {
    private Cli() {
    }

    /** What one run produced. */
    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        return run(null, args);
    }

    /** @param extra a test-only command to add beside the real ones, or null */
    static Result run(Object extra, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        CommandLine cmd = new CommandLine(new KhoCommand());
        if (extra != null) {
            cmd.addSubcommand(extra);
        }
        int exit = Main.configure(cmd, o, e).execute(args);
        o.flush();
        e.flush();
        return new Result(exit, out.toString(), err.toString());
    }
}
