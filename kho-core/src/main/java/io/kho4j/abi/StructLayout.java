package io.kho4j.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The declared layout of a C structure that a subsystem writes into a raw blob or into memory its blob points
 * at ({@code struct kho_kexec_metadata}, {@code struct khoser_mem_chunk}). It is part of the ABI a compatible
 * string versions: upstream's 512-byte to page-size bitmap change altered exactly such a layout under the same
 * {@code kho-v1} (kho-abi.md §2), which {@link AbiLock} catches.
 *
 * @param name the structure's name ({@code "kho_mem_phys_bits"})
 * @param size {@code sizeof} in bytes
 * @param fields the fields in offset order
 */
public record StructLayout(String name, long size, List<Field> fields) {

    /**
     * One field.
     *
     * @param name field name
     * @param offset {@code offsetof} in bytes
     * @param size bytes
     * @param type C type as written in the kernel header ({@code "u64"}, {@code "char[65]"}, {@code "bitmap"})
     */
    public record Field(String name, long offset, long size, String type) {
        /** @throws IllegalArgumentException for negative offsets or sizes */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            if (offset < 0 || size < 0) {
                throw new IllegalArgumentException("field " + name + ": negative offset or size");
            }
        }
    }

    /** @throws IllegalArgumentException if a field runs past {@code size} or fields overlap */
    public StructLayout {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        long end = 0;
        for (Field f : fields) {
            if (f.offset() < end) {
                throw new IllegalArgumentException("struct " + name + ": field " + f.name() + " at " + f.offset()
                        + " overlaps the previous field, which ends at " + end);
            }
            end = Math.addExact(f.offset(), f.size());
            if (end > size) {
                throw new IllegalArgumentException("struct " + name + ": field " + f.name() + " ends at " + end
                        + ", past sizeof = " + size);
            }
        }
    }

    /** @param name structure name @param size sizeof @return a builder that places fields one after another */
    public static Builder builder(String name, long size) {
        return new Builder(name, size);
    }

    /** Appends packed fields in order; {@link #at} jumps to an explicit offset (padding). */
    public static final class Builder {
        private final String name;
        private final long size;
        private final List<Field> fields = new ArrayList<>();
        private long next;

        private Builder(String name, long size) {
            this.name = name;
            this.size = size;
        }

        /** @param offset where the next field starts @return this builder */
        public Builder at(long offset) {
            next = offset;
            return this;
        }

        /** @param field name @param type C type @param bytes size @return this builder */
        public Builder field(String field, String type, long bytes) {
            fields.add(new Field(field, next, bytes, type));
            next += bytes;
            return this;
        }

        /** @return the layout */
        public StructLayout build() {
            return new StructLayout(name, size, fields);
        }
    }
}
