package io.kho4j.cli;

import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.GenerationException;
import io.kho4j.host.AtomicFiles;
import io.kho4j.host.MemoryImage;
import io.kho4j.host.PhysicalMemoryException;
import io.kho4j.preserve.BumpPageAllocator;
import io.kho4j.preserve.MemoryMapCodec;
import io.kho4j.preserve.MemoryMapFormat;
import io.kho4j.preserve.MemoryMapFormatException;
import io.kho4j.preserve.PageSize;
import io.kho4j.preserve.PreservedMemoryMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kho memmap}: writes and reads preserved-memory maps in a memory image, in the formats of DESIGN.md
 * §4 ("Preserved blocks", "Memory image").
 */
@Command(name = "memmap",
        mixinStandardHelpOptions = true,
        description = "Encode or decode a preserved-memory map in a memory image.",
        subcommands = {MemmapCommand.Encode.class, MemmapCommand.Decode.class},
        synopsisSubcommandLabel = "COMMAND")
public final class MemmapCommand {

    /** Options both subcommands share. */
    static class MapOptions {
        @Option(names = "--abi", required = true, paramLabel = "GEN",
                description = "ABI generation (kho-v1-bitmap512, kho-v1-bitmap-page, kho-v2-radix, kho-v3-blob-size,"
                        + " kho-v4-blocks) or map format (chunks-bitmap512, chunks-bitmap-page, radix,"
                        + " radix-16k-prefix); any case, - or _.")
        String abi;

        @Option(names = "--image", required = true, paramLabel = "IMAGE",
                description = "Memory image: the byte at offset phys - base is the byte at phys.")
        Path image;

        @Option(names = "--base", paramLabel = "ADDR", defaultValue = "0", converter = AddressConverter.class,
                description = "Physical address of the image's first byte (default 0).")
        long base;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "4096",
                converter = MemoryArgs.PageSizeConverter.class, description = "4096, 16384 or 65536 (default 4096).")
        PageSize pageSize;

        MemoryMapCodec codec(CommonOptions common) {
            try {
                return MemoryMapCodec.of(format(abi), pageSize);
            } catch (IllegalArgumentException e) {
                throw common.usageError(e.getMessage());
            }
        }

        /** A DESIGN.md §3 generation name ({@code kho-v1-bitmap512}, {@code KHO_V4_BLOCKS}) or a format name. */
        static MemoryMapFormat format(String name) {
            try {
                return AbiGeneration.parse(name).memoryMap();
            } catch (GenerationException notAGeneration) {
                try {
                    return MemoryMapFormat.parse(name);
                } catch (IllegalArgumentException notAFormat) {
                    throw new IllegalArgumentException(notAGeneration.getMessage() + ", or a memory-map format ("
                            + notAFormat.getMessage() + ")");
                }
            }
        }

        static InvalidInputException invalid(MemoryMapFormatException e) {
            return new InvalidInputException(String.format("INVALID %s at 0x%x: %s", e.kind(), e.address(), e.detail()), e);
        }
    }

    /** {@code kho memmap encode}. */
    @Command(name = "encode",
            mixinStandardHelpOptions = true,
            description = {
                "Write preserved blocks into a memory image as the kernel of GEN lays them out, and print the value"
                        + " of preserved-memory-map (0x...).",
                "The image is created or grown (sparsely) to hold every block and the map pages. The new image is"
                        + " written beside the old one and renamed over it: on any failure the old image stays as"
                        + " it was.",
            })
    static final class Encode extends MapOptions implements Callable<Integer> {
        private static final Pattern LINE = Pattern.compile("\\s*0[xX]([0-9a-fA-F]{1,16})\\s+(\\d{1,3})\\s*");
        private static final int COPY_CHUNK = 1 << 20;

        @Mixin
        private CommonOptions common;

        @Option(names = "--ranges", required = true, paramLabel = "FILE",
                description = "Blocks, one '0x<phys> <order>' per line (the decode output); blank lines and"
                        + " # comments are ignored.")
        Path ranges;

        @Option(names = "--alloc-from", paramLabel = "ADDR", converter = AddressConverter.class,
                description = "Where map pages start (default: after the image's end and every block).")
        Long allocFrom;

        @Override
        public Integer call() throws IOException, InvalidInputException {
            MemoryMapCodec codec = codec(common);
            long[] blocksEnd = {base};
            PreservedMemoryMap map = readBlocks(blocksEnd);
            long imageEnd = base + (Files.exists(image) ? Files.size(image) : 0);
            long mask = pageSize.bytes() - 1L;
            long from = ((allocFrom != null ? allocFrom : Math.max(imageEnd, blocksEnd[0])) + mask) & ~mask;
            if (from < base) {
                throw new InvalidInputException(String.format("--alloc-from 0x%x lies below --base 0x%x", from, base));
            }
            long end = from + codec.pagesNeeded(map) * pageSize.bytes();
            long size = Math.max(Math.max(imageEnd, blocksEnd[0]), end) - base;
            long[] root = new long[1];
            try {
                // a copy is encoded and renamed over the image: a failure or a kill leaves the old image whole
                AtomicFiles.replace(image, copy -> {
                    if (Files.exists(image)) {
                        copyKeepingHoles(image, copy);
                    }
                    try (MemoryImage memory = MemoryImage.over(copy, base, size)) {
                        long ramEnd = base + memory.ram().get(0).size();
                        root[0] = codec.encode(map, memory, BumpPageAllocator.over(pageSize, from, ramEnd));
                    }
                });
            } catch (MemoryMapFormatException e) {
                throw invalid(e);
            } catch (PhysicalMemoryException | IllegalArgumentException e) {
                throw new InvalidInputException("cannot encode: " + e.getMessage(), e);
            }
            if (common.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("root", String.format("0x%x", root[0]));
                out.put("blocks", map.blockCount());
                common.printJson(out);
            } else {
                common.out().print(String.format("0x%x\n", root[0]));
            }
            return ExitCodes.OK;
        }

        /**
         * Copies {@code from} into {@code to} at the same offsets, skipping all-zero chunks so that holes (and
         * never-written pages of a sparse image) stay holes in the copy.
         */
        private static void copyKeepingHoles(Path from, FileChannel to) throws IOException {
            ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
            try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ)) {
                long size = in.size();
                for (long at = 0; at < size; at += chunk.limit()) {
                    chunk.clear().limit((int) Math.min(COPY_CHUNK, size - at));
                    while (chunk.hasRemaining() && in.read(chunk, at + chunk.position()) >= 0) {
                        // positional reads until the chunk is full or the file ends
                    }
                    if (chunk.position() == 0) {
                        break; // the file shrank while being copied; what is left reads as zeros
                    }
                    chunk.flip();
                    if (!isZero(chunk)) {
                        while (chunk.hasRemaining()) {
                            to.write(chunk, at + chunk.position());
                        }
                    }
                }
                if (to.size() < size) {
                    to.write(ByteBuffer.allocate(1), size - 1);
                }
            }
        }

        private static boolean isZero(ByteBuffer b) {
            for (int i = b.position(); i < b.limit(); i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            return true;
        }

        private PreservedMemoryMap readBlocks(long[] blocksEnd) throws IOException, InvalidInputException {
            PreservedMemoryMap.Builder builder = PreservedMemoryMap.builder(pageSize);
            try (BufferedReader in = Files.newBufferedReader(ranges)) {
                int number = 0;
                for (String line; (line = in.readLine()) != null; ) {
                    number++;
                    String text = line.replaceFirst("#.*", "");
                    if (text.isBlank()) {
                        continue;
                    }
                    Matcher m = LINE.matcher(text);
                    if (!m.matches()) {
                        throw new InvalidInputException(ranges + ":" + number + ": expected '0x<phys> <order>', got '"
                                + ErrorHandler.oneLine(line) + "'");
                    }
                    long phys = Long.parseUnsignedLong(m.group(1), 16);
                    int order = Integer.parseInt(m.group(2));
                    try {
                        builder.addBlock(phys, order);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException(ranges + ":" + number + ": " + e.getMessage());
                    }
                    if (phys < base) {
                        throw new InvalidInputException(String.format("%s:%d: block 0x%x lies below --base 0x%x",
                                ranges, number, phys, base));
                    }
                    blocksEnd[0] = Math.max(blocksEnd[0], phys + pageSize.blockBytes(order));
                }
            }
            try {
                return builder.build();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(ranges + ": " + e.getMessage());
            }
        }
    }

    /** {@code kho memmap decode}. */
    @Command(name = "decode",
            mixinStandardHelpOptions = true,
            description = "Read the map at ROOT from a memory image as the successor kernel would and print its"
                    + " blocks, '0x<phys> <order>' per line, by address.")
    static final class Decode extends MapOptions implements Callable<Integer> {
        @Mixin
        private CommonOptions common;

        @Option(names = "--root", required = true, paramLabel = "ADDR", converter = AddressConverter.class,
                description = "The value of preserved-memory-map.")
        long root;

        @Override
        public Integer call() throws IOException, InvalidInputException {
            MemoryMapCodec codec = codec(common);
            PreservedMemoryMap map;
            try (MemoryImage memory = MemoryImage.open(image, base)) {
                map = codec.decode(memory, root);
            } catch (MemoryMapFormatException e) {
                if (!common.json()) {
                    throw invalid(e);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("valid", false);
                out.put("kind", e.kind().name());
                out.put("address", String.format("0x%x", e.address()));
                out.put("message", e.detail());
                common.printJson(out);
                return ExitCodes.INVALID_INPUT;
            }
            PrintWriter out = common.out();
            if (common.json()) {
                List<Object> blocks = new ArrayList<>();
                map.forEachBlock((phys, order) -> {
                    Map<String, Object> b = new LinkedHashMap<>();
                    b.put("phys", String.format("0x%x", phys));
                    b.put("order", order);
                    blocks.add(b);
                });
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("valid", true);
                result.put("blocks", blocks);
                common.printJson(result);
            } else {
                StringBuilder line = new StringBuilder(32);
                map.forEachBlock((phys, order) -> {
                    line.setLength(0);
                    out.print(line.append("0x").append(Long.toHexString(phys)).append(' ').append(order).append('\n'));
                });
            }
            return ExitCodes.OK;
        }
    }
}
