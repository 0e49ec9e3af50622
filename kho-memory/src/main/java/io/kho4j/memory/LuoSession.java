package io.kho4j.memory;

import java.util.List;

/**
 * A LUO session: a named set of preserved files ({@code struct luo_session_ser}, kho-abi.md §4).
 *
 * @param name the name userspace created it with, 1 to 63 bytes ({@code LIVEUPDATE_SESSION_NAME_LENGTH} is 64 with
 *     the NUL; 7.2 refuses empty names)
 * @param files the files in preservation order
 */
public record LuoSession(String name, List<LuoFile> files) {
    /** {@code LIVEUPDATE_SESSION_NAME_LENGTH}. */
    public static final int NAME_LENGTH = 64;

    /** @throws IllegalArgumentException for a name that does not fit {@code char name[64]} */
    public LuoSession {
        LuoFile.checkCString(name, NAME_LENGTH, "session name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a LUO session name is not empty");
        }
        files = List.copyOf(files);
    }
}
