package io.kho4j.memory;

/**
 * A File-Lifecycle-Bound global object ({@code struct luo_flb_ser}, 7.0+; kho-abi.md §9.6): state shared by several
 * preserved files, saved once.
 *
 * @param name the FLB handler's compatible string, at most 47 bytes ({@code LIVEUPDATE_FLB_COMPAT_LENGTH} 48)
 * @param data the handler's u64 handle
 * @param count how many preserved files depend on it
 */
public record LuoFlb(String name, long data, long count) {
    /** {@code LIVEUPDATE_FLB_COMPAT_LENGTH}. */
    public static final int NAME_LENGTH = 48;

    /** @throws IllegalArgumentException for a name that does not fit */
    public LuoFlb {
        LuoFile.checkCString(name, NAME_LENGTH, "FLB name");
    }
}
