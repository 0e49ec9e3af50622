package io.kho4j.abi;

/** A string that is not a valid {@link CompatibleString}; the message names the position and the rule broken. */
public final class CompatibleStringException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int position;

    /**
     * @param input the string that was parsed
     * @param position index of the first offending character (the length if something is missing at the end)
     * @param problem what is wrong there
     */
    public CompatibleStringException(String input, int position, String problem) {
        super("invalid compatible string \"" + input + "\" at position " + position + ": " + problem);
        this.input = input;
        this.position = position;
    }

    /** @return the string that was parsed */
    public String input() {
        return input;
    }

    /** @return the index of the first offending character */
    public int position() {
        return position;
    }
}
