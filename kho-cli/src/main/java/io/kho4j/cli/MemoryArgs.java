package io.kho4j.cli;

import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PhysRange;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Converters for the memory-layout options of {@code memmap} and {@code scratch}. */
final class MemoryArgs {
    private MemoryArgs() {
    }

    /** {@code --page-size}: 4096, 16384, 65536, or 4K, 16K, 64K. */
    static final class PageSizeConverter implements ITypeConverter<PageSize> {
        @Override
        public PageSize convert(String value) {
            try {
                return PageSize.ofBytes(AddressConverter.parse(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A physical range as {@code START-END} or {@code START+SIZE}, each an {@link AddressConverter} number. */
    static final class RangeConverter implements ITypeConverter<PhysRange> {
        @Override
        public PhysRange convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }

        static PhysRange parse(String text) {
            int plus = text.indexOf('+');
            int dash = text.indexOf('-');
            if (plus > 0) {
                return new PhysRange(AddressConverter.parse(text.substring(0, plus)),
                        AddressConverter.parse(text.substring(plus + 1)));
            }
            if (dash > 0) {
                long start = AddressConverter.parse(text.substring(0, dash));
                long end = AddressConverter.parse(text.substring(dash + 1));
                if (end <= start) {
                    throw new IllegalArgumentException("'" + text + "' is empty: END must lie above START");
                }
                return PhysRange.ofEnd(start, end);
            }
            throw new IllegalArgumentException("'" + text + "' is not a range (START-END or START+SIZE, e.g. 0-2G)");
        }
    }
}
