package io.kho4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every kho command shares; add it with {@code @Mixin CommonOptions common;}. Gives {@code --json},
 * the command's stdout and stderr (tests capture them), and usage errors that exit with
 * {@link ExitCodes#USAGE}.
 */
public final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--json", description = "Print machine-readable JSON on stdout instead of text.")
    private boolean json;

    /** @return whether {@code --json} was given */
    public boolean json() {
        return json;
    }

    /** @return the command's standard output; lines end in {@code \n} */
    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    /** @return the command's standard error */
    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** @param value maps, lists, strings, numbers, booleans (see {@link Json}) @return nothing; prints one line */
    public void printJson(Object value) {
        out().print(Json.write(value) + "\n");
    }

    /**
     * For option combinations picocli cannot check: throw the result.
     *
     * @param message one line saying what is wrong with the command line
     * @return an exception that kho reports as a usage error
     */
    public ParameterException usageError(String message) {
        return new ParameterException(command.commandLine(), message);
    }
}
