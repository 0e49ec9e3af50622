package io.kho4j.cli;

import io.kho4j.abi.AbiLock;
import io.kho4j.abi.AbiLockException;
import io.kho4j.abi.AbiLockReport;
import io.kho4j.abi.SubsystemShape;
import io.kho4j.spi.SubsystemRegistry;
import io.kho4j.spi.SubsystemSerializer;
import io.kho4j.spi.Subtrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kho abi lock} and {@code kho abi check}: record the ABI shape of every subsystem serializer on the
 * module/class path in {@code kho-abi.lock}, and compare the current serializers with it. A layout that changed
 * under an unchanged compatible string fails the check, with the version to bump to.
 *
 * <p>Exit status: 0 passed or written; 1 a check failed, a lock update was refused, or the lock is unreadable.
 */
@Command(name = "abi", mixinStandardHelpOptions = true, subcommands = {AbiCommand.Lock.class, AbiCommand.Check.class},
        description = "Record and check the ABI (compatible strings and layouts) of subsystem serializers.")
public final class AbiCommand implements Callable<Integer> {
    private final Supplier<List<SubsystemSerializer<?>>> serializers;

    @Spec
    private CommandSpec spec;

    /** Uses the serializers {@link SubsystemRegistry#discover()} finds. */
    public AbiCommand() {
        this(() -> SubsystemRegistry.discover().serializers());
    }

    /** @param serializers where the serializers to lock and check come from */
    public AbiCommand(Supplier<List<SubsystemSerializer<?>>> serializers) {
        this.serializers = Objects.requireNonNull(serializers, "serializers");
    }

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: lock or check");
    }

    private List<SubsystemShape> shapes() {
        List<SubsystemShape> out = new ArrayList<>();
        for (SubsystemSerializer<?> s : serializers.get()) {
            out.add(Subtrees.describe(s));
        }
        return out;
    }

    /** {@code kho abi lock}: write or update the lock. */
    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Record the current serializers in the lock file; refuses to overwrite a changed layout.")
    static final class Lock implements Callable<Integer> {
        @ParentCommand
        private AbiCommand parent;

        @Mixin
        private CommonOptions common;

        @Option(names = "--lock", paramLabel = "FILE", defaultValue = AbiLock.FILE_NAME,
                description = "The lock file (default kho-abi.lock).")
        private Path lock;

        @Option(names = "--force", description = "Record changed layouts and drop removed ones anyway.")
        private boolean force;

        @Override
        public Integer call() throws IOException, InvalidInputException {
            List<SubsystemShape> current = parent.shapes();
            if (current.isEmpty()) {
                throw new InvalidInputException("no subsystem serializers found on the module or class path;"
                        + " the lock was not touched");
            }
            AbiLock old = Files.exists(lock) ? read(lock) : AbiLock.empty();
            AbiLockReport report = old.check(current);
            boolean drops = !report.findings(AbiLockReport.Severity.WARNING).isEmpty();
            if ((!report.passed() || drops) && !force) {
                print(common, lock, report);
                throw new InvalidInputException((report.passed() ? "the lock records subsystems or versions that are"
                        + " no longer written" : "recorded layouts changed") + "; bump the compatible versions, or"
                        + " pass --force to record this anyway");
            }
            AbiLock.of(current).write(lock);
            long versions = current.stream().mapToLong(v -> v.versions().size()).sum();
            int added = report.findings(AbiLockReport.Severity.ADDED).size();
            if (common.json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("lock", lock.toString());
                o.put("subsystems", current.size());
                o.put("versions", versions);
                o.put("additions", added);
                common.printJson(o);
            } else {
                common.out().print("wrote " + lock + ": " + current.size() + " subsystem(s), " + versions
                        + " version(s), " + added + " addition(s)\n");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code kho abi check}: compare with the lock. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Compare the current serializers with the lock file.")
    static final class Check implements Callable<Integer> {
        @ParentCommand
        private AbiCommand parent;

        @Mixin
        private CommonOptions common;

        @Option(names = "--lock", paramLabel = "FILE", defaultValue = AbiLock.FILE_NAME,
                description = "The lock file (default kho-abi.lock).")
        private Path lock;

        @Override
        public Integer call() throws IOException, InvalidInputException {
            if (!Files.exists(lock)) {
                throw new InvalidInputException("no lock file " + lock + "; create it with `kho abi lock`");
            }
            AbiLockReport report = read(lock).check(parent.shapes());
            print(common, lock, report);
            return report.passed() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
        }
    }

    private static AbiLock read(Path lock) throws IOException, InvalidInputException {
        try {
            return AbiLock.read(lock);
        } catch (AbiLockException e) {
            throw new InvalidInputException(lock + ": " + e.getMessage(), e);
        }
    }

    private static void print(CommonOptions common, Path lock, AbiLockReport report) {
        if (common.json()) {
            List<Object> findings = new ArrayList<>();
            for (AbiLockReport.Finding f : report.findings()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("severity", f.severity().name());
                o.put("subsystem", f.subsystem());
                o.put("version", f.version());
                o.put("message", f.message());
                findings.add(o);
            }
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("lock", lock.toString());
            o.put("passed", report.passed());
            o.put("findings", findings);
            common.printJson(o);
        } else {
            common.out().print(report + "\n");
        }
    }
}
