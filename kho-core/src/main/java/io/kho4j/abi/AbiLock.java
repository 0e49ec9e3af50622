package io.kho4j.abi;

import io.kho4j.abi.AbiLockReport.Finding;
import io.kho4j.abi.AbiLockReport.Severity;
import io.kho4j.abi.internal.AbiLockCodec;
import io.kho4j.abi.internal.LineDiff;
import io.kho4j.host.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The committed record of every subsystem's ABI: per compatible version, the shape of what it writes (nodes,
 * property names, types, sizes and byte order; raw blob sizes; declared structure layouts), as the file
 * {@code kho-abi.lock} in protobuf text format.
 *
 * <p>{@link #check} compares current serializers with the lock. A shape that changed under the same compatible
 * string is a {@link Severity#FAILURE} whose message says which version to bump to: exactly the mistake
 * upstream shipped when 6.17.9/6.18 changed the memory-map bitmap from 512 bytes to a page under the same
 * {@code kho-v1} (kho-abi.md §2, §8). A new subsystem, version or generation is {@link Severity#ADDED} and
 * passes; {@link #merge} records it. Instances are immutable.
 */
public final class AbiLock {
    /** The conventional file name. */
    public static final String FILE_NAME = "kho-abi.lock";

    private static final int MAX_DIFF_LINES = 40;

    private final List<SubsystemShape> subsystems;

    private AbiLock(List<SubsystemShape> subsystems) {
        List<SubsystemShape> sorted = new ArrayList<>();
        for (SubsystemShape s : subsystems) {
            List<VersionShape> versions = new ArrayList<>(s.versions());
            versions.sort(Comparator.comparing(VersionShape::version));
            sorted.add(new SubsystemShape(s.name(), versions));
        }
        sorted.sort(Comparator.comparing(SubsystemShape::name));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).name().equals(sorted.get(i - 1).name())) {
                throw new IllegalArgumentException("subsystem \"" + sorted.get(i).name() + "\" appears twice");
            }
        }
        this.subsystems = List.copyOf(sorted);
    }

    /** @param subsystems shapes to record @return a lock holding them, sorted by name and version */
    public static AbiLock of(List<SubsystemShape> subsystems) {
        return new AbiLock(subsystems);
    }

    /** @return a lock recording nothing */
    public static AbiLock empty() {
        return new AbiLock(List.of());
    }

    /**
     * @param text the file's text
     * @return the lock
     * @throws AbiLockException naming the first problem if the text is not a valid lock file
     */
    public static AbiLock parse(String text) throws AbiLockException {
        try {
            return new AbiLock(AbiLockCodec.parse(text));
        } catch (IllegalArgumentException e) {
            throw new AbiLockException(e.getMessage(), e);
        }
    }

    /**
     * @param file a lock file
     * @return the lock
     * @throws IOException if the file cannot be read
     * @throws AbiLockException if it is not a valid lock file
     */
    public static AbiLock read(Path file) throws IOException, AbiLockException {
        if (Files.size(file) > AbiLockCodec.MAX_TEXT_CHARS) {
            throw new AbiLockException(file + " is larger than " + AbiLockCodec.MAX_TEXT_CHARS + " bytes", null);
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Writes the lock through {@link AtomicFiles}, so a crash leaves the old or the new file, never a torn one.
     *
     * @param file where to write
     * @throws IOException if writing fails
     */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toText());
    }

    /** @return the lock in protobuf text format */
    public String toText() {
        return AbiLockCodec.print(subsystems);
    }

    /** @return the recorded subsystems, sorted by name */
    public List<SubsystemShape> subsystems() {
        return subsystems;
    }

    /** @param name subtree name @return the recorded subsystem */
    public Optional<SubsystemShape> subsystem(String name) {
        return subsystems.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Compares current shapes with this lock.
     *
     * @param current shapes of the current serializers
     * @return every finding; {@link AbiLockReport#passed()} is false if a recorded version changed shape
     */
    public AbiLockReport check(List<SubsystemShape> current) {
        List<Finding> findings = new ArrayList<>();
        AbiLock now = of(current);
        for (SubsystemShape cur : now.subsystems) {
            Optional<SubsystemShape> locked = subsystem(cur.name());
            if (locked.isEmpty()) {
                findings.add(new Finding(Severity.ADDED, cur.name(), "", "new subsystem with versions "
                        + cur.versions().stream().map(v -> v.version().toString()).toList()));
                continue;
            }
            compareSubsystem(locked.get(), cur, findings);
        }
        for (SubsystemShape old : subsystems) {
            if (now.subsystem(old.name()).isEmpty()) {
                findings.add(new Finding(Severity.WARNING, old.name(), "", "no longer written; successors that"
                        + " expect it will find nothing"));
            }
        }
        return new AbiLockReport(findings);
    }

    /**
     * Records current shapes, refusing if any recorded version changed shape.
     *
     * @param current shapes of the current serializers
     * @return a lock of the current shapes
     * @throws AbiLockException with the check report if a version changed shape without a bump
     */
    public AbiLock merge(List<SubsystemShape> current) throws AbiLockException {
        AbiLockReport report = check(current);
        if (!report.passed()) {
            throw new AbiLockException(report.toString(), null);
        }
        return of(current);
    }

    private static void compareSubsystem(SubsystemShape locked, SubsystemShape cur, List<Finding> findings) {
        int newest = 0;
        for (VersionShape v : locked.versions()) {
            newest = Math.max(newest, v.version().version());
        }
        for (VersionShape v : cur.versions()) {
            newest = Math.max(newest, v.version().version());
        }
        for (VersionShape v : cur.versions()) {
            Optional<VersionShape> old = locked.versions().stream().filter(o -> o.version().equals(v.version()))
                    .findFirst();
            if (old.isEmpty()) {
                findings.add(new Finding(Severity.ADDED, cur.name(), v.version().toString(), "new version"));
            } else {
                compareVersion(cur.name(), old.get(), v, v.version().withVersion(newest + 1), findings);
            }
        }
        for (VersionShape old : locked.versions()) {
            if (cur.versions().stream().noneMatch(v -> v.version().equals(old.version()))) {
                findings.add(new Finding(Severity.WARNING, cur.name(), old.version().toString(),
                        "no longer written; successors that only read this version will refuse the subtree"));
            }
        }
    }

    private static void compareVersion(String subsystem, VersionShape old, VersionShape cur, CompatibleString bump,
            List<Finding> findings) {
        List<String> changes = new ArrayList<>();
        Map<String, List<String>> before = shapeLines(old);
        Map<String, List<String>> after = shapeLines(cur);
        Map<List<String>, List<String>> keysByDiff = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : after.entrySet()) {
            List<String> was = before.get(e.getKey());
            if (was == null) {
                findings.add(new Finding(Severity.ADDED, subsystem, cur.version().toString(), "now also written for "
                        + e.getKey()));
            } else if (!was.equals(e.getValue())) {
                keysByDiff.computeIfAbsent(LineDiff.diff(was, e.getValue()), k -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (String key : before.keySet()) {
            if (!after.containsKey(key)) {
                findings.add(new Finding(Severity.WARNING, subsystem, cur.version().toString(), "no longer written for "
                        + key));
            }
        }
        for (Map.Entry<List<String>, List<String>> e : keysByDiff.entrySet()) {
            changes.add(String.join(", ", e.getValue()) + ":");
            changes.addAll(e.getKey().stream().map(l -> "  " + l).toList());
        }
        if (changes.isEmpty()) {
            return;
        }
        List<String> shown = changes.size() > MAX_DIFF_LINES
                ? new ArrayList<>(changes.subList(0, MAX_DIFF_LINES)) : changes;
        if (shown != changes) {
            shown.add("... " + (changes.size() - MAX_DIFF_LINES) + " more line(s)");
        }
        findings.add(new Finding(Severity.FAILURE, subsystem, cur.version().toString(), "layout changed without a"
                + " version bump, so a successor reading \"" + cur.version() + "\" would misread it. Bump the"
                + " compatible to \"" + bump + "\" for the new layout (keep writing the old one for old readers if"
                + " needed) or restore the recorded layout:\n    " + String.join("\n    ", shown)));
    }

    /**
     * Canonical lines per "sample N on generation" and "structs on generation", so that a generation added to an
     * unchanged shape is an addition, not a change.
     */
    private static Map<String, List<String>> shapeLines(VersionShape v) {
        Map<String, List<String>> out = new TreeMap<>();
        for (VersionShape.Structs set : v.structs()) {
            List<String> lines = structLines(set.layouts());
            for (AbiGeneration g : set.generations()) {
                out.put("structs on " + g.cliName(), lines);
            }
        }
        for (EncodingShape e : v.encodings()) {
            List<String> lines = new ArrayList<>();
            lines.add(e.raw() ? "raw blob size=" + e.rawSize() : "fdt");
            for (ShapeNode n : e.nodes()) {
                lines.add("node " + n.path());
                for (ShapeProperty p : n.properties()) {
                    lines.add("  prop " + p);
                }
            }
            for (AbiGeneration g : e.generations()) {
                out.put("sample " + e.sample() + " on " + g.cliName(), lines);
            }
        }
        return out;
    }

    private static List<String> structLines(List<StructLayout> layouts) {
        List<String> lines = new ArrayList<>();
        for (StructLayout s : layouts) {
            lines.add("struct " + s.name() + " size=" + s.size());
            for (StructLayout.Field f : s.fields()) {
                lines.add("  field " + f.name() + " offset=" + f.offset() + " size=" + f.size() + " type=" + f.type());
            }
        }
        return lines;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AbiLock l && l.subsystems.equals(subsystems);
    }

    @Override
    public int hashCode() {
        return subsystems.hashCode();
    }

    @Override
    public String toString() {
        return "AbiLock" + subsystems.stream().map(SubsystemShape::name).toList();
    }
}
