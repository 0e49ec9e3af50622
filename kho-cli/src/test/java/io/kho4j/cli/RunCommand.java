package io.kho4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * Runs one command class in-process with kho's error handling (as {@code Main.configure} sets it up) and
 * captured output. TODO-merge: once KhoCommand lists memmap and scratch, these tests can use the shared runner.
 */
final class RunCommand {
    private RunCommand() {
    }

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        ErrorHandler errors = new ErrorHandler();
        int exit = new CommandLine(command).setOut(o).setErr(e).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors).setExecutionExceptionHandler(errors).execute(args);
        o.flush();
        e.flush();
        return new Result(exit, out.toString(), err.toString());
    }
}
