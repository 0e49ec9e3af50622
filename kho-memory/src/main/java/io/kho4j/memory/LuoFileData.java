package io.kho4j.memory;

/** A preserved file's handler state: a memfd this library understands, or another handler's opaque handle. */
public sealed interface LuoFileData permits MemfdFile, OpaqueFile {
}
