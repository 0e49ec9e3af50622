/**
 * Flattened Device Tree codec: validation of untrusted blobs, zero-copy reads of validated blobs, and a sequential writer.
 */
package io.kho4j.fdt;
