package io.kho4j.host;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The next kernel to boot: image, optional initrd and command line, as {@code kexec_file_load} takes them
 * (the only loader KHO supports; kho-abi.md §4, §8).
 *
 * @param kernel the kernel image (bzImage, arm64 Image)
 * @param initrd the initrd, if any
 * @param commandLine the next kernel's command line, if any; must not contain NUL
 */
public record KexecImage(Path kernel, Optional<Path> initrd, Optional<String> commandLine) {
    /** @throws IllegalArgumentException if the command line contains a NUL byte */
    public KexecImage {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(commandLine, "commandLine");
        if (commandLine.isPresent() && commandLine.get().indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a kernel command line cannot contain a NUL byte");
        }
    }

    /** @param kernel the kernel image @return an image with no initrd and no command line */
    public static KexecImage of(Path kernel) {
        return new KexecImage(kernel, Optional.empty(), Optional.empty());
    }
}
