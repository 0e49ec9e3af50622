package io.kho4j.memory;

import java.nio.file.Path;

/** Where the project's committed kho-abi.lock is, seen from this module's directory (surefire's working dir). */
final class AbiLockFile {
    static final Path PATH = Path.of("..", "kho-abi.lock");

    private AbiLockFile() {
    }
}
