package io.kho4j.abi.internal;

import com.google.protobuf.TextFormat;
import io.kho4j.abi.AbiGeneration;
import io.kho4j.abi.CompatibleString;
import io.kho4j.abi.CompatibleStringException;
import io.kho4j.abi.EncodingShape;
import io.kho4j.abi.GenerationException;
import io.kho4j.abi.ShapeNode;
import io.kho4j.abi.ShapeProperty;
import io.kho4j.abi.StructLayout;
import io.kho4j.abi.SubsystemShape;
import io.kho4j.abi.VersionShape;
import io.kho4j.abi.internal.proto.AbiLockFile;
import io.kho4j.abi.internal.proto.EncodingLock;
import io.kho4j.abi.internal.proto.FieldLock;
import io.kho4j.abi.internal.proto.NodeLock;
import io.kho4j.abi.internal.proto.PropertyLock;
import io.kho4j.abi.internal.proto.StructLock;
import io.kho4j.abi.internal.proto.StructSetLock;
import io.kho4j.abi.internal.proto.SubsystemLock;
import io.kho4j.abi.internal.proto.VersionLock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Converts lock shapes to and from the protobuf text format of kho-abi.lock. */
public final class AbiLockCodec {
    /** The file format this code writes and the only one it reads. */
    public static final int FORMAT = 1;

    /** Input above this is refused before parsing: a lock of every upstream subsystem is a few hundred KiB. */
    public static final int MAX_TEXT_CHARS = 16 << 20;

    private AbiLockCodec() {
    }

    /** @param subsystems shapes, already sorted @return the text-format file */
    public static String print(List<SubsystemShape> subsystems) {
        AbiLockFile.Builder file = AbiLockFile.newBuilder().setFormat(FORMAT);
        for (SubsystemShape s : subsystems) {
            SubsystemLock.Builder sb = file.addSubsystemBuilder().setName(s.name());
            for (VersionShape v : s.versions()) {
                VersionLock.Builder vb = sb.addVersionBuilder().setCompatible(v.version().toString());
                for (EncodingShape e : v.encodings()) {
                    EncodingLock.Builder eb = vb.addEncodingBuilder().setSample(e.sample()).setRaw(e.raw())
                            .setRawSize(e.rawSize());
                    for (AbiGeneration g : EnumSet.copyOf(nonEmpty(e.generations()))) {
                        eb.addGeneration(g.cliName());
                    }
                    for (ShapeNode n : e.nodes()) {
                        NodeLock.Builder nb = eb.addNodeBuilder().setPath(n.path());
                        for (ShapeProperty p : n.properties()) {
                            nb.addProperty(PropertyLock.newBuilder().setName(p.name()).setType(p.type().name())
                                    .setOrder(p.order().name()).setLength(p.length()));
                        }
                    }
                }
                for (VersionShape.Structs set : v.structs()) {
                    StructSetLock.Builder ssb = vb.addStructSetBuilder();
                    for (AbiGeneration g : EnumSet.copyOf(nonEmpty(set.generations()))) {
                        ssb.addGeneration(g.cliName());
                    }
                    for (StructLayout st : set.layouts()) {
                        StructLock.Builder stb = ssb.addStructBuilder().setName(st.name()).setSize(st.size());
                        for (StructLayout.Field f : st.fields()) {
                            stb.addField(FieldLock.newBuilder().setName(f.name()).setOffset(f.offset())
                                    .setSize(f.size()).setType(f.type()));
                        }
                    }
                }
            }
        }
        return "# kho-abi.lock: written by `kho abi lock`; review changes like code. Format: protobuf text.\n"
                + TextFormat.printer().printToString(file.build());
    }

    private static Set<AbiGeneration> nonEmpty(Set<AbiGeneration> g) {
        return g.isEmpty() ? EnumSet.noneOf(AbiGeneration.class) : g;
    }

    /**
     * @param text the file's text
     * @return the shapes it records
     * @throws IllegalArgumentException with the location of the first problem if the text is not a valid lock
     */
    public static List<SubsystemShape> parse(String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("lock file has " + text.length() + " characters, more than the "
                    + MAX_TEXT_CHARS + " accepted");
        }
        AbiLockFile file;
        try {
            file = TextFormat.parse(text, AbiLockFile.class);
        } catch (TextFormat.ParseException e) {
            throw new IllegalArgumentException("not a kho-abi.lock text file: " + e.getMessage(), e);
        }
        if (file.getFormat() != FORMAT) {
            throw new IllegalArgumentException("lock file format " + file.getFormat() + " is not supported (this"
                    + " library reads format " + FORMAT + ")");
        }
        List<SubsystemShape> out = new ArrayList<>();
        for (SubsystemLock s : file.getSubsystemList()) {
            List<VersionShape> versions = new ArrayList<>();
            for (VersionLock v : s.getVersionList()) {
                versions.add(version(s.getName(), v));
            }
            out.add(new SubsystemShape(s.getName(), versions));
        }
        return out;
    }

    private static VersionShape version(String subsystem, VersionLock v) {
        String where = "subsystem \"" + subsystem + "\" version \"" + v.getCompatible() + "\"";
        CompatibleString compatible;
        try {
            compatible = CompatibleString.parse(v.getCompatible());
        } catch (CompatibleStringException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        List<EncodingShape> encodings = new ArrayList<>();
        for (EncodingLock e : v.getEncodingList()) {
            Set<AbiGeneration> gens = generations(e.getGenerationList(), where);
            List<ShapeNode> nodes = new ArrayList<>();
            for (NodeLock n : e.getNodeList()) {
                List<ShapeProperty> props = new ArrayList<>();
                for (PropertyLock p : n.getPropertyList()) {
                    props.add(new ShapeProperty(p.getName(), enumValue(ShapeProperty.ValueType.class, p.getType(), where),
                            enumValue(ShapeProperty.Endianness.class, p.getOrder(), where),
                            nonNegative(p.getLength(), where)));
                }
                nodes.add(new ShapeNode(n.getPath(), props));
            }
            encodings.add(new EncodingShape(e.getSample(), gens, e.getRaw(), e.getRawSize(), nodes));
        }
        List<VersionShape.Structs> structs = new ArrayList<>();
        for (StructSetLock set : v.getStructSetList()) {
            List<StructLayout> layouts = new ArrayList<>();
            for (StructLock st : set.getStructList()) {
                List<StructLayout.Field> fields = new ArrayList<>();
                for (FieldLock f : st.getFieldList()) {
                    fields.add(new StructLayout.Field(f.getName(), f.getOffset(), f.getSize(), f.getType()));
                }
                layouts.add(new StructLayout(st.getName(), st.getSize(), fields));
            }
            structs.add(new VersionShape.Structs(generations(set.getGenerationList(), where), layouts));
        }
        return new VersionShape(compatible, encodings, structs);
    }

    private static Set<AbiGeneration> generations(List<String> names, String where) {
        Set<AbiGeneration> gens = EnumSet.noneOf(AbiGeneration.class);
        for (String g : names) {
            try {
                gens.add(AbiGeneration.parse(g));
            } catch (GenerationException ex) {
                throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
            }
        }
        return gens;
    }

    private static int nonNegative(int length, String where) {
        if (length < 0) {
            throw new IllegalArgumentException(where + ": property length " + Integer.toUnsignedString(length)
                    + " is larger than any FDT property");
        }
        return length;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String where) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": \"" + name + "\" is not a " + type.getSimpleName(), e);
        }
    }
}
