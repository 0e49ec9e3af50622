package io.kho4j.cli;

/**
 * Input that a command refuses; kho prints the message as one line on stderr and exits with
 * {@link ExitCodes#INVALID_INPUT}. The message should name the file or value and what was wrong.
 */
public final class InvalidInputException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line: what was refused and why */
    public InvalidInputException(String message) {
        super(message);
    }

    /** @param message one line: what was refused and why @param cause the underlying failure */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
