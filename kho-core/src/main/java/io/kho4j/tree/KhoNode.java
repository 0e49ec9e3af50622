package io.kho4j.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An immutable device-tree node: a name, properties in order, children in order. This is the model that
 * {@link TreeCodec} encodes to and decodes from a blob; KHO-specific assembly builds on it.
 */
public final class KhoNode {
    private final String name;
    private final List<Property> properties;
    private final List<KhoNode> children;

    private KhoNode(String name, List<Property> properties, List<KhoNode> children) {
        this.name = name;
        this.properties = List.copyOf(properties);
        this.children = List.copyOf(children);
    }

    /** @param name node name with unit address ({@code ""} for a root) @return a builder */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the name */
    public String name() {
        return name;
    }

    /** @return the properties in order */
    public List<Property> properties() {
        return properties;
    }

    /** @return the children in order */
    public List<KhoNode> children() {
        return children;
    }

    /** @param name property name @return the first property with that name */
    public Optional<Property> property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** @param name child name @return the first child with exactly that name */
    public Optional<KhoNode> child(String name) {
        return children.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** @return a builder holding a copy of this node's content */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.properties.addAll(properties);
        b.children.addAll(children);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KhoNode n && n.name.equals(name) && n.properties.equals(properties)
                && n.children.equals(children);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + properties.hashCode()) * 31 + children.hashCode();
    }

    @Override
    public String toString() {
        return "KhoNode[" + name + ", " + properties.size() + " properties, " + children.size() + " children]";
    }

    /** Collects a node's content; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final String name;
        private final List<Property> properties = new ArrayList<>();
        private final List<KhoNode> children = new ArrayList<>();

        private Builder(String name) {
            if (name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("node name contains NUL: " + name);
            }
            this.name = name;
        }

        /** @param p property to append @return this builder */
        public Builder property(Property p) {
            properties.add(p);
            return this;
        }

        /** @param child node to append @return this builder */
        public Builder child(KhoNode child) {
            children.add(child);
            return this;
        }

        /** @return the node */
        public KhoNode build() {
            return new KhoNode(name, properties, children);
        }
    }
}
