package io.kho4j.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Entry point of the {@code kho} command line (the fat jar's main class). */
public final class Main {
    private Main() {
    }

    /**
     * Runs kho and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // UTF-8: the canonical dump escapes every name byte outside 0x21-0x7e and JSON is ASCII, so what is
        // left to encode is our own text (messages cite kho-abi.md sections with a section sign).
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out,
                StandardCharsets.UTF_8)));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * Runs kho in this JVM without exiting: what tests and embedding callers use.
     *
     * @param args the command line, without {@code kho}
     * @param out standard output
     * @param err standard error
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /**
     * @param out standard output
     * @param err standard error
     * @return the configured {@code kho} command line: error handling, exit codes and streams set on every
     *     subcommand
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new KhoCommand()), out, err);
    }

    /**
     * Applies kho's streams, error handling and parsing rules to a command line and every subcommand it
     * has now (picocli copies settings only to subcommands present when they are set).
     */
    static CommandLine configure(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        ErrorHandler errors = new ErrorHandler();
        return commandLine
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(errors)
                .setExecutionExceptionHandler(errors);
    }
}
