package io.kho4j.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The running kernel's build configuration, from {@code /proc/config.gz} (CONFIG_IKCONFIG_PROC) or
 * {@code /boot/config-<release>} (what distributions install). Only {@code CONFIG_X=value} lines count;
 * {@code # CONFIG_X is not set} and absent options both read as not set.
 */
final class KernelConfig {
    /** Real configs are 100-300 KB; the bound only stops a hostile file. */
    private static final int MAX_BYTES = 8 << 20;

    private final Path source;
    private final Map<String, String> options;

    private KernelConfig(Path source, Map<String, String> options) {
        this.source = source;
        this.options = options;
    }

    /**
     * @param root the host's root directory
     * @param release the running kernel's release
     * @return the configuration, or empty if neither file exists
     * @throws IOException if a file exists but cannot be read or is too large
     */
    static Optional<KernelConfig> load(Path root, String release) throws IOException {
        Path proc = root.resolve("proc/config.gz");
        Optional<String> text = HostFiles.readGzipText(proc, MAX_BYTES);
        if (text.isPresent()) {
            return Optional.of(parse(proc, text.get()));
        }
        if (release.contains("/") || release.isEmpty()) {
            return Optional.empty();
        }
        Path boot = root.resolve("boot/config-" + release);
        return HostFiles.readText(boot, MAX_BYTES).map(t -> parse(boot, t));
    }

    static KernelConfig parse(Path source, String text) {
        Map<String, String> options = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            int eq = line.indexOf('=');
            if (line.startsWith("CONFIG_") && eq > 0) {
                options.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return new KernelConfig(source, options);
    }

    /** @return the file this was read from */
    Path source() {
        return source;
    }

    /** @param option {@code CONFIG_...} @return whether it is {@code y} or {@code m} */
    boolean isEnabled(String option) {
        String v = options.get(option);
        return "y".equals(v) || "m".equals(v);
    }
}
