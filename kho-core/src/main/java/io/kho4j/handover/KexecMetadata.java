package io.kho4j.handover;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.StructLayout;
import io.kho4j.spi.InboundSubtree;
import io.kho4j.spi.RestoreException;
import io.kho4j.spi.Restorer;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.SubtreeWriter;
import io.kho4j.spi.WriteContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The kexec metadata that KHO itself hands over from 7.1 (kho-abi.md §1 "Kexec metadata subtree", §9.7): which
 * release handed over and how many kexecs came before. A raw blob, not an FDT:
 * <pre>
 * struct kho_kexec_metadata {
 *     u32  version;                               KHO_KEXEC_METADATA_VERSION = 1
 *     char previous_release[__NEW_UTS_LEN + 1];   65 bytes, NUL-terminated
 *     u32  kexec_count;
 * } __packed;                                     73 bytes, CPU-native
 * </pre>
 * under the subtree {@code "kexec-metadata"} ({@code KHO_METADATA_NODE_NAME}). The blob has no compatible
 * string; {@link #V1} is kho4j's name for its version field.
 *
 * @param previousRelease the release of the kernel that handed over, at most 64 bytes
 * @param kexecCount kexecs so far, this one included (unsigned)
 */
public record KexecMetadata(String previousRelease, int kexecCount) {
    /** {@code KHO_METADATA_NODE_NAME} (kho-abi.md §1). */
    public static final String NODE_NAME = "kexec-metadata";
    /** kho4j's name for {@code version = KHO_KEXEC_METADATA_VERSION = 1} (kho-abi.md §1). */
    public static final CompatibleString V1 = CompatibleString.of("kexec-metadata-v1");
    /** {@code sizeof(struct kho_kexec_metadata)}: 4 + 65 + 4 (kho-abi.md §1, derived). */
    public static final int SIZE = 73;
    /** {@code __NEW_UTS_LEN}: a release string has at most 64 bytes (kho-abi.md §1). */
    private static final int RELEASE_BYTES = 65;

    /** @throws IllegalArgumentException if the release does not fit 64 ISO-8859-1 bytes or contains NUL */
    public KexecMetadata {
        Objects.requireNonNull(previousRelease, "previousRelease");
        if (previousRelease.length() >= RELEASE_BYTES || previousRelease.indexOf('\0') >= 0
                || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(previousRelease)) {
            throw new IllegalArgumentException("a release is at most 64 bytes without NUL: \"" + previousRelease + "\"");
        }
    }

    /** @return the serializer and restorer of this subtree */
    public static Subsystem subsystem() {
        return new Subsystem();
    }

    /** Writes and reads {@code struct kho_kexec_metadata}; only for kho-v3 and kho-v4 (7.1+). */
    public static final class Subsystem implements SubsystemSerializer<KexecMetadata>, Restorer<KexecMetadata> {
        private Subsystem() {
        }

        @Override
        public String name() {
            return NODE_NAME;
        }

        @Override
        public List<CompatibleString> writes() {
            return List.of(V1);
        }

        @Override
        public boolean writes(CompatibleString version, AbiGeneration generation) {
            return generation.sizeProperty().isPresent();
        }

        @Override
        public void write(KexecMetadata state, SubtreeWriter out) {
            byte[] release = new byte[RELEASE_BYTES];
            byte[] text = state.previousRelease().getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(text, 0, release, 0, text.length);
            out.blob(ByteBuffer.allocate(SIZE).order(out.nativeOrder()).putInt(V1.version()).put(release)
                    .putInt(state.kexecCount()).array());
        }

        @Override
        public List<KexecMetadata> abiSamples() {
            return List.of(new KexecMetadata("7.4.0", 1));
        }

        @Override
        public List<StructLayout> layouts(CompatibleString version, WriteContext context) {
            return List.of(StructLayout.builder("kho_kexec_metadata", SIZE).field("version", "u32", 4)
                    .field("previous_release", "char[65]", RELEASE_BYTES).field("kexec_count", "u32", 4).build());
        }

        @Override
        public List<CompatibleString> reads() {
            return List.of(V1);
        }

        @Override
        public List<String> versionsIn(InboundSubtree subtree) throws RestoreException {
            check(subtree);
            // an unsigned field: a hostile value must become a string negotiation rejects, not an exception
            return List.of(V1.family() + "-v"
                    + Integer.toUnsignedString(subtree.buffer().order(ByteOrder.LITTLE_ENDIAN).getInt(0)));
        }

        @Override
        public KexecMetadata restore(InboundSubtree subtree, CompatibleString version) throws RestoreException {
            check(subtree);
            ByteBuffer b = subtree.buffer().order(ByteOrder.LITTLE_ENDIAN);
            byte[] release = new byte[RELEASE_BYTES];
            b.position(4);
            b.get(release);
            int end = 0;
            while (end < RELEASE_BYTES && release[end] != 0) {
                end++;
            }
            if (end == RELEASE_BYTES) {
                throw new RestoreException(NODE_NAME, String.format("previous_release at blob offset 4 (0x%x) has no"
                        + " NUL in its %d bytes", subtree.address() + 4, RELEASE_BYTES), null);
            }
            return new KexecMetadata(new String(release, 0, end, StandardCharsets.ISO_8859_1), b.getInt(4 + RELEASE_BYTES));
        }

        private static void check(InboundSubtree subtree) throws RestoreException {
            if (subtree.size() != SIZE) {
                throw new RestoreException(NODE_NAME, String.format("blob at 0x%x is %d bytes; struct"
                        + " kho_kexec_metadata is %d", subtree.address(), subtree.size(), SIZE), null);
            }
        }
    }
}
