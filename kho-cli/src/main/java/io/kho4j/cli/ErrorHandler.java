package io.kho4j.cli;

import io.kho4j.host.KhoUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into an exit code (see {@link ExitCodes}) and one line on stderr, prefixed with the
 * command's name. No stack trace unless the environment variable {@code KHO_DEBUG} is set, so that hostile
 * input never shows kho's insides.
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final String DEBUG_ENV = "KHO_DEBUG";

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String hint = "see '" + name + " --help'";
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = "did you mean " + String.join(" or ", u.getSuggestions()) + "? " + hint;
        }
        cmd.getErr().println(name + ": " + oneLine(ex.getMessage()) + " (" + hint + ")");
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        int code;
        String reason;
        if (ex instanceof InvalidInputException) {
            code = ExitCodes.INVALID_INPUT;
            reason = ex.getMessage();
        } else if (ex instanceof IOException io) {
            code = ExitCodes.INVALID_INPUT;
            reason = describe(io);
        } else if (ex instanceof KhoUnavailableException) {
            code = ExitCodes.CANNOT_RUN;
            reason = ex.getMessage();
        } else {
            code = ExitCodes.CANNOT_RUN;
            reason = "internal error, please report it: " + ex + " (set " + DEBUG_ENV + "=1 for the stack trace)";
        }
        err.println(name + ": " + oneLine(reason));
        if (System.getenv(DEBUG_ENV) != null) {
            ex.printStackTrace(err);
        }
        return code;
    }

    /** @return a short reason for an I/O failure, naming the file where the JDK says which */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists" + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /**
     * Keeps a message on one line: messages may quote names from a hostile blob, which can hold any byte
     * but NUL. Control characters become {@code \xNN}.
     *
     * @param s the message, or null
     * @return the message with no line breaks or other control characters
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
