package io.kho4j.internal.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.kho4j.fdt.FdtFormatException;
import io.kho4j.fdt.FdtFormatException.Kind;
import io.kho4j.host.KhoUnavailableException;
import java.nio.ByteBuffer;

/** libfdt's {@code fdt_check_full} as a second opinion on a blob, with errors mapped to our kinds. */
public final class LibFdtCheck {
    /** Debian's libfdt1 ships only the versioned soname; libfdt-dev adds the unversioned link. */
    static final String LIBRARY = "libfdt.so.1";

    /** libfdt error codes (libfdt/libfdt.h, dtc 1.6.1). */
    private static final int FDT_ERR_BADOFFSET = 4;
    private static final int FDT_ERR_TRUNCATED = 8;
    private static final int FDT_ERR_BADMAGIC = 9;
    private static final int FDT_ERR_BADVERSION = 10;
    private static final int FDT_ERR_BADSTRUCTURE = 11;
    private static final int FDT_ERR_ALIGNMENT = 19;
    private static final int FDT_ERR_BADVALUE = 15;

    /** Size of the largest header (version 17, libfdt/fdt.h). */
    private static final int HEADER_SLACK = 40;
    /** libfdt returns FDT_ERR_ALIGNMENT for a blob whose address is not 8-byte aligned (fdt_ro_probe_). */
    private static final int FDT_ALIGNMENT = 8;

    private static volatile Throwable loadError;
    private static volatile boolean loaded;

    private LibFdtCheck() {
    }

    /** @return whether libfdt could be loaded */
    public static boolean isAvailable() {
        try {
            ensureAvailable();
            return true;
        } catch (KhoUnavailableException e) {
            return false;
        }
    }

    /** @throws KhoUnavailableException naming the package to install if libfdt cannot be loaded */
    public static synchronized void ensureAvailable() {
        if (loaded) {
            return;
        }
        if (loadError == null) {
            try {
                LibFdt.fdt_strerror(0);
                loaded = true;
                return;
            } catch (LinkageError | RuntimeException e) {
                loadError = e;
            }
        }
        throw new KhoUnavailableException("libfdt (" + LIBRARY + ") cannot be loaded: install Debian's libfdt1"
                + " (apt-get install -y libfdt1)", loadError);
    }

    /**
     * Runs {@code fdt_check_full} on the blob: in place when it is a direct buffer that libfdt can read as it
     * is, else on one copy in native memory.
     *
     * <p>Only for blobs {@link io.kho4j.fdt.FdtValidator} accepted, or hand-made test blobs: libfdt 1.6.1
     * loops forever on a property whose length is 0xfffffff4 (0xfffffff0 before version 16), and
     * dereferences NULL on a version 2..15 blob whose root node name has no '/'.
     *
     * @param blob the blob, from position 0 to its capacity
     * @return libfdt's return code: 0 or a negative {@code FDT_ERR_*}
     */
    public static int checkFullCode(ByteBuffer blob) {
        ensureAvailable();
        int len = blob.capacity();
        if (blob.isDirect() && len >= HEADER_SLACK) {
            Pointer p = Native.getDirectBufferPointer(blob);
            if (Pointer.nativeValue(p) % FDT_ALIGNMENT == 0) {
                return LibFdt.fdt_check_full(p, len);
            }
        }
        // libfdt reads every header field before comparing the header size with bufsize; zeroed slack
        // behind a short blob makes those reads harmless and the verdict repeatable. malloc'd memory is
        // 16-byte aligned, which libfdt requires (8). One copy, from any kind of buffer.
        try (Memory m = new Memory(len + HEADER_SLACK)) {
            m.getByteBuffer(0, len).put(0, blob, 0, len);
            m.setMemory(len, HEADER_SLACK, (byte) 0);
            return LibFdt.fdt_check_full(m, len);
        }
    }

    /**
     * @param blob the blob
     * @throws FdtFormatException if libfdt rejects it; offset is 0 since libfdt does not say where
     */
    public static void checkFull(ByteBuffer blob) throws FdtFormatException {
        int rc = checkFullCode(blob);
        if (rc != 0) {
            throw new FdtFormatException(kindOf(rc), 0, "libfdt fdt_check_full: " + LibFdt.fdt_strerror(rc));
        }
    }

    /** @return the libfdt message for a return code */
    public static String strerror(int rc) {
        ensureAvailable();
        return LibFdt.fdt_strerror(rc);
    }

    /**
     * @param rc a negative libfdt return code
     * @return the kind {@link io.kho4j.fdt.FdtValidator} uses for the same problem
     */
    public static Kind kindOf(int rc) {
        switch (-rc) {
            case FDT_ERR_TRUNCATED: return Kind.TRUNCATED;
            case FDT_ERR_BADMAGIC: return Kind.BAD_MAGIC;
            case FDT_ERR_BADVERSION: return Kind.BAD_VERSION;
            case FDT_ERR_ALIGNMENT: return Kind.BAD_ALIGNMENT;
            case FDT_ERR_BADOFFSET: return Kind.BAD_OFFSET;
            case FDT_ERR_BADVALUE: return Kind.BAD_VALUE;
            case FDT_ERR_BADSTRUCTURE:
            default: return Kind.BAD_STRUCTURE;
        }
    }
}
