package io.kho4j.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes files so that a reader sees the old content or the new, complete content, never a torn mix:
 * a temporary file in the same directory, written and fsynced, renamed over the target atomically, and
 * the directory fsynced so the rename itself survives a crash.
 *
 * <p>The temporary file of target {@code name} is {@code .name.<digits>.tmp}. A writer killed with SIGKILL leaves
 * its temporary file behind; the next successful write of the same target removes such leftovers. To tell a
 * leftover from the file of a writer that is still running (another thread, another process), every writer holds
 * an exclusive lock ({@link FileChannel#tryLock}, a POSIX record lock on Linux) on its temporary file from creation
 * to rename; the kernel drops that lock when the process dies. The sweep deletes a file only if it matches the
 * target's exact pattern, is a regular file older than the current write, and its lock can be taken; files of this
 * JVM's own writers are never even opened, because closing any descriptor of a file drops all of the process's
 * POSIX locks on it. A writer that loses the race between creating its file and locking it (the sweep got there
 * first and deleted it) notices that the file is gone and starts over with a new name.
 */
public final class AtomicFiles {
    private static final String TMP_SUFFIX = ".tmp";
    private static final int CREATE_ATTEMPTS = 8;
    /** This JVM's temporary files between creation and rename or deletion. */
    private static final Set<Path> OWN_TEMPORARIES = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** Fills the temporary file that will replace the target. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param file the new file, empty, open for reading and writing; write it through this channel only (closing
         *     another descriptor of the file would drop the lock that marks it as in use)
         * @throws IOException to abandon the write; the target then stays as it was
         */
        void writeTo(FileChannel file) throws IOException;
    }

    /**
     * Replaces {@code target} with {@code content} atomically, then removes temporary files that killed writers of
     * the same target left behind (never a live writer's).
     *
     * @param target file to write; its directory must exist
     * @param content the complete new content
     * @throws IOException if writing, syncing or renaming fails; the target is then unchanged and the
     *     temporary file removed
     */
    public static void write(Path target, byte[] content) throws IOException {
        replace(target, file -> {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                file.write(b);
            }
        });
    }

    /**
     * Replaces {@code target} atomically with whatever {@code content} writes into a new temporary file, for
     * contents too large to hold in memory (memory images); then sweeps leftovers as {@link #write(Path, byte[])}.
     *
     * @param target file to replace; its directory must exist
     * @param content writes the complete new file
     * @throws IOException what {@code content} threw, or a failure to sync or rename; the target is then unchanged
     *     and the temporary file removed (also when {@code content} throws an unchecked exception)
     */
    public static void replace(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        FileTime started = FileTime.from(Instant.now());
        Path tmp = null;
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw new IOException("could not create a temporary file for " + abs + " that stayed in place");
                }
                tmp = dir.resolve("." + name + "." + Long.toUnsignedString(RANDOM.nextLong()) + TMP_SUFFIX);
                OWN_TEMPORARIES.add(tmp);
                ch = createLocked(tmp);
                if (ch == null) {
                    OWN_TEMPORARIES.remove(tmp);
                }
            }
            content.writeTo(ch);
            ch.force(true);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + abs + " atomically on this file system", e);
            }
            syncDirectory(dir);
        } finally {
            // after a successful move there is nothing at tmp; after a failure the file is ours to remove
            if (ch != null) {
                try {
                    Files.deleteIfExists(tmp);
                } finally {
                    ch.close();
                    OWN_TEMPORARIES.remove(tmp);
                }
            } else if (tmp != null) {
                OWN_TEMPORARIES.remove(tmp);
            }
        }
        sweepLeftovers(dir, name, started);
    }

    /**
     * Creates {@code tmp} owner-only ({@code 0600}, as {@link Files#createTempFile} did) and locks it.
     *
     * @return the new file, open and locked; null if the name was taken, or a sweep locked and deleted the file
     *     before this writer could lock it, so the caller tries another name
     */
    private static FileChannel createLocked(Path tmp) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileChannel ch;
        try {
            ch = tmp.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? FileChannel.open(tmp, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : FileChannel.open(tmp, options);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
        try {
            FileLock lock = ch.tryLock();
            if (lock != null && Files.exists(tmp, LinkOption.NOFOLLOW_LINKS)) {
                return ch;
            }
            ch.close();
            return null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Deletes {@code .name.<digits>.tmp} files in {@code dir} that are older than {@code before} and that no
     * writer holds locked. Best effort: a file that cannot be examined or deleted is left for a later write.
     */
    static void sweepLeftovers(Path dir, String name, FileTime before) {
        String prefix = "." + name + ".";
        DirectoryStream.Filter<Path> ours = p -> isTemporaryOf(p.getFileName().toString(), prefix);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ours)) {
            for (Path p : entries) {
                if (!OWN_TEMPORARIES.contains(p)) {
                    deleteIfAbandoned(p, before);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            // the directory cannot be listed now; leftovers stay until a later write
        }
    }

    /** @return whether {@code file} is {@code prefix + digits + ".tmp"} */
    private static boolean isTemporaryOf(String file, String prefix) {
        if (!file.startsWith(prefix) || !file.endsWith(TMP_SUFFIX)) {
            return false;
        }
        int end = file.length() - TMP_SUFFIX.length();
        if (end <= prefix.length()) {
            return false;
        }
        for (int i = prefix.length(); i < end; i++) {
            if (file.charAt(i) < '0' || file.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static void deleteIfAbandoned(Path p, FileTime before) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.lastModifiedTime().compareTo(before) >= 0) {
                return;
            }
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                 FileLock lock = ch.tryLock()) {
                if (lock != null) {
                    // deleted while locked: a writer that locks it after this sees it gone and starts over
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | OverlappingFileLockException e) {
            // gone already, not ours to open, or locked: not abandoned, or not now
        }
    }

    /**
     * Writes a string as UTF-8, atomically.
     *
     * @param target file to write
     * @param content the complete new content
     * @throws IOException as {@link #write(Path, byte[])}
     */
    public static void writeString(Path target, String content) throws IOException {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Makes a completed rename in {@code dir} durable. Linux allows fsync on a directory opened read-only;
     * other systems may refuse, which only weakens durability, not atomicity.
     *
     * @param dir the directory
     */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not supported here (e.g. some non-Linux file systems); the rename is still atomic.
        }
    }
}
