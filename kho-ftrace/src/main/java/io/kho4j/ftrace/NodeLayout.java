package io.kho4j.ftrace;

/**
 * Where the {@code cpu%x} nodes sit under a trace array. kho-abi.md §6 has two Graf texts that disagree, and both
 * are supported under the same compatible strings; a reader of this library accepts either.
 */
public enum NodeLayout {
    /**
     * {@code /ftrace/<array>/cpu%x}: the example of the v2 bindings ("[PATCH v2 17/17] devicetree: Add bindings for
     * ftrace KHO", Documentation/devicetree/bindings/kho/ftrace/*.yaml, kho-abi.md §6).
     */
    BINDING_EXAMPLE,
    /**
     * {@code /ftrace/<array>/buffer/cpu%x}: the path the v3 reader looks up ({@code "/ftrace/%s/buffer/cpu%x"},
     * kho-abi.md §6). The {@code buffer} node is written without properties: kho-abi.md records none for it.
     * The default, because it is what the last code of the series reads.
     */
    V3_READER_PATH
}
