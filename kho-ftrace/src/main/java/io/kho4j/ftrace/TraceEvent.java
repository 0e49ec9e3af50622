package io.kho4j.ftrace;

/**
 * One entry of the {@code ftrace} node's {@code events} table: a trace event's format checksum and the event type
 * number the old kernel gave it, so that the successor can map old buffer records to its own event types
 * ({@code events} is "a uint32-array of { u32 crc, u32 type }", Graf v2 bindings, kho-abi.md §6).
 *
 * @param crc checksum of the event's format as the old kernel computed it (an opaque u32 here)
 * @param type the event type number in the old kernel's buffers
 */
public record TraceEvent(int crc, int type) {
}
