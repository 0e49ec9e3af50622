/**
 * Flattened Device Tree codec: validation of untrusted blobs ({@link io.kho4j.fdt.FdtValidator}, libfdt's
 * checks and error codes plus documented stricter ones), zero-copy reads of validated blobs, a sequential
 * writer with dtc's and libfdt's byte layouts, and text forms ({@link io.kho4j.fdt.DumpFormat}: canonical,
 * dtc-style DTS, JSON).
 */
package io.kho4j.fdt;
