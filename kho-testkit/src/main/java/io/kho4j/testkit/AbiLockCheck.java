package io.kho4j.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import io.kho4j.abi.AbiLock;
import io.kho4j.abi.AbiLockException;
import io.kho4j.abi.AbiLockReport;
import io.kho4j.abi.SubsystemShape;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.Subtrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JUnit check of serializers against a committed {@code kho-abi.lock}: fails with the lock report when a
 * recorded version changed shape. New subsystems, versions and generations pass; they are recorded by
 * {@code kho abi lock}, or by running the tests with {@code -Dkho4j.abi.update=true}, which rewrites the lock
 * when (and only when) nothing recorded changed.
 */
public final class AbiLockCheck {
    /** System property that lets a passing check record additions in the lock file. */
    public static final String UPDATE_PROPERTY = "kho4j.abi.update";

    private AbiLockCheck() {
    }

    /**
     * @param lockFile the committed lock file
     * @param serializers the serializers to check; other subsystems in the lock are left alone
     * @return the report (passed)
     */
    public static AbiLockReport assertMatchesLock(Path lockFile, List<? extends SubsystemSerializer<?>> serializers) {
        List<SubsystemShape> current = new ArrayList<>();
        for (SubsystemSerializer<?> s : serializers) {
            current.add(Subtrees.describe(s));
        }
        Set<String> names = current.stream().map(SubsystemShape::name).collect(Collectors.toSet());
        boolean update = Boolean.getBoolean(UPDATE_PROPERTY);
        AbiLock lock;
        try {
            lock = Files.exists(lockFile) || !update ? AbiLock.read(lockFile) : AbiLock.empty();
        } catch (IOException | AbiLockException e) {
            return fail("cannot read the ABI lock " + lockFile + ": " + e.getMessage() + "\nCreate or fix it with `kho"
                    + " abi lock --lock " + lockFile + "`, or run the tests with -D" + UPDATE_PROPERTY + "=true", e);
        }
        AbiLock mine = AbiLock.of(lock.subsystems().stream().filter(s -> names.contains(s.name())).toList());
        AbiLockReport report = mine.check(current);
        if (!report.passed()) {
            fail("ABI lock " + lockFile + ":\n" + report);
        }
        if (update && !report.findings().isEmpty()) {
            List<SubsystemShape> merged = new ArrayList<>(lock.subsystems().stream()
                    .filter(s -> !names.contains(s.name())).toList());
            merged.addAll(current);
            try {
                AbiLock.of(merged).write(lockFile);
            } catch (IOException e) {
                fail("cannot write the ABI lock " + lockFile, e);
            }
        }
        return report;
    }
}
