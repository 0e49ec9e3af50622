package io.kho4j.memory;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A file preserved in a LUO session ({@code struct luo_file_ser}, kho-abi.md §4): the user's token and what the
 * file handler serialized.
 *
 * @param token the token userspace preserved it with and retrieves it by
 * @param data the handler's state
 */
public record LuoFile(long token, LuoFileData data) {
    /** @throws NullPointerException without data */
    public LuoFile {
        Objects.requireNonNull(data, "data");
    }

    static void checkCString(String s, int fieldSize, String what) {
        Objects.requireNonNull(s, what);
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length >= fieldSize || s.indexOf('\0') >= 0 || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(s)) {
            throw new IllegalArgumentException(what + " '" + s + "' must be at most " + (fieldSize - 1)
                    + " Latin-1 bytes without NUL");
        }
    }
}
