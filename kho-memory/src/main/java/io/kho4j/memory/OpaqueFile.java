package io.kho4j.memory;

/**
 * A preserved file of a handler this library does not decode: its compatible string and its {@code data} handle
 * (typically the physical address of the handler's own structure), carried unchanged.
 *
 * @param compatible the handler's compatible string, at most 47 bytes ({@code LIVEUPDATE_HNDL_COMPAT_LENGTH} 48)
 * @param data the handler's u64 handle
 */
public record OpaqueFile(String compatible, long data) implements LuoFileData {
    /** {@code LIVEUPDATE_HNDL_COMPAT_LENGTH}. */
    public static final int COMPATIBLE_LENGTH = 48;

    /** @throws IllegalArgumentException for a string that does not fit, or a memfd string (use {@link MemfdFile}) */
    public OpaqueFile {
        LuoFile.checkCString(compatible, COMPATIBLE_LENGTH, "file handler compatible");
        if (MemfdFile.V1.toString().equals(compatible) || MemfdFile.V2.toString().equals(compatible)) {
            throw new IllegalArgumentException("'" + compatible + "' files are MemfdFile states");
        }
    }
}
