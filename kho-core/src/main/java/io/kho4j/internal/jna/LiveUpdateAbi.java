package io.kho4j.internal.jna;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;
import java.util.Map;

/**
 * The {@code /dev/liveupdate} uAPI (include/uapi/linux/liveupdate.h; kho-abi.md §4 and §9.6): ioctl numbers
 * and the argument structs as JNA structures, laid out as the kernel declares them. Every struct starts with
 * {@code __u32 size} = its own size (the "size-first" convention: "The kernel checks that any structure space
 * beyond what it understands is 0"), and every reserved field is sent as zero.
 */
public final class LiveUpdateAbi {
    /** {@code LIVEUPDATE_IOCTL_TYPE}. */
    public static final int IOCTL_TYPE = 0xBA;
    /** {@code LIVEUPDATE_SESSION_NAME_LENGTH}: name buffer size including the terminating NUL. */
    public static final int SESSION_NAME_LENGTH = 64;

    /** {@code LIVEUPDATE_IOCTL_CREATE_SESSION = _IO(0xBA, 0x00)}, on the device fd (6.19+). */
    public static final int IOCTL_CREATE_SESSION = io(0x00);
    /** {@code LIVEUPDATE_IOCTL_RETRIEVE_SESSION = _IO(0xBA, 0x01)}, on the device fd (6.19+). */
    public static final int IOCTL_RETRIEVE_SESSION = io(0x01);
    /** {@code LIVEUPDATE_SESSION_PRESERVE_FD = _IO(0xBA, 0x40)}, on a session fd (6.19+). */
    public static final int SESSION_PRESERVE_FD = io(0x40);
    /** {@code LIVEUPDATE_SESSION_RETRIEVE_FD = _IO(0xBA, 0x41)}, on a session fd (6.19+). */
    public static final int SESSION_RETRIEVE_FD = io(0x41);
    /** {@code LIVEUPDATE_SESSION_FINISH = _IO(0xBA, 0x42)}, on a session fd (6.19+). */
    public static final int SESSION_FINISH = io(0x42);
    /** {@code LIVEUPDATE_SESSION_GET_NAME = _IO(0xBA, 0x43)}, on a session fd (7.2+; ENOTTY before, §9.6). */
    public static final int SESSION_GET_NAME = io(0x43);

    private static final Map<Integer, String> NAMES = Map.of(
            IOCTL_CREATE_SESSION, "LIVEUPDATE_IOCTL_CREATE_SESSION",
            IOCTL_RETRIEVE_SESSION, "LIVEUPDATE_IOCTL_RETRIEVE_SESSION",
            SESSION_PRESERVE_FD, "LIVEUPDATE_SESSION_PRESERVE_FD",
            SESSION_RETRIEVE_FD, "LIVEUPDATE_SESSION_RETRIEVE_FD",
            SESSION_FINISH, "LIVEUPDATE_SESSION_FINISH",
            SESSION_GET_NAME, "LIVEUPDATE_SESSION_GET_NAME");

    private LiveUpdateAbi() {
    }

    /**
     * {@code _IO(type, nr)} of include/uapi/asm-generic/ioctl.h: direction none and size 0, so the number is
     * just {@code type << 8 | nr}; the struct size travels in the struct's first field instead.
     */
    private static int io(int nr) {
        return IOCTL_TYPE << 8 | nr;
    }

    /** @param request an ioctl number @return its C name if it is a liveupdate ioctl, else {@code 0x...} */
    public static String requestName(int request) {
        return NAMES.getOrDefault(request, String.format("0x%x", request));
    }

    /** {@code struct liveupdate_ioctl_create_session {__u32 size; __s32 fd; __u8 name[64];}}: 72 bytes. */
    @FieldOrder({"size", "fd", "name"})
    public static final class CreateSession extends Structure {
        public int size;
        public int fd;
        public byte[] name = new byte[SESSION_NAME_LENGTH];
    }

    /** {@code struct liveupdate_ioctl_retrieve_session}: same layout as create, 72 bytes. */
    @FieldOrder({"size", "fd", "name"})
    public static final class RetrieveSession extends Structure {
        public int size;
        public int fd;
        public byte[] name = new byte[SESSION_NAME_LENGTH];
    }

    /** {@code struct liveupdate_session_preserve_fd {__u32 size; __s32 fd; __aligned_u64 token;}}: 16 bytes. */
    @FieldOrder({"size", "fd", "token"})
    public static final class PreserveFd extends Structure {
        public int size;
        public int fd;
        public long token;
    }

    /** {@code struct liveupdate_session_retrieve_fd}: same layout as preserve, 16 bytes. */
    @FieldOrder({"size", "fd", "token"})
    public static final class RetrieveFd extends Structure {
        public int size;
        public int fd;
        public long token;
    }

    /** {@code struct liveupdate_session_finish {__u32 size; __u32 reserved;}}: 8 bytes; reserved must be 0 (7.3). */
    @FieldOrder({"size", "reserved"})
    public static final class Finish extends Structure {
        public int size;
        public int reserved;
    }

    /** {@code struct liveupdate_session_get_name {__u32 size; __u32 reserved; __u8 name[64];}}: 72 bytes (7.2+). */
    @FieldOrder({"size", "reserved", "name"})
    public static final class GetName extends Structure {
        public int size;
        public int reserved;
        public byte[] name = new byte[SESSION_NAME_LENGTH];
    }

    /**
     * @param struct a struct whose fields are set, except {@code size}, which this sets to the struct's size
     * @return its bytes in native order, as the kernel will read them
     */
    public static byte[] encode(Structure struct) {
        struct.writeField("size", struct.size());
        struct.write();
        return struct.getPointer().getByteArray(0, struct.size());
    }

    /**
     * @param struct the struct to fill
     * @param bytes what the kernel left in the argument buffer, exactly {@code struct.size()} bytes
     */
    public static void decode(Structure struct, byte[] bytes) {
        if (bytes.length != struct.size()) {
            throw new IllegalArgumentException(struct.getClass().getSimpleName() + " is " + struct.size()
                    + " bytes, got " + bytes.length);
        }
        struct.getPointer().write(0, bytes, 0, bytes.length);
        struct.read();
    }
}
