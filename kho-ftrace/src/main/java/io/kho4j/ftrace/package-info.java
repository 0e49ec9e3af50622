/**
 * ftrace ring-buffer handover: Alexander Graf's never-merged bindings ({@code ftrace-v1}, {@code ftrace,array-v1},
 * {@code ftrace,cpu-v1}; kho-abi.md §6), kho4j's own {@code ftrace-v2}/{@code ftrace,array-v2} with the review
 * fixes, and the {@code struct buffer_page} layout descriptors the per-CPU nodes are versioned by.
 */
package io.kho4j.ftrace;
