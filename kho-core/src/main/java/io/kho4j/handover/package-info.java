/**
 * Assembling a handover, encoding the hand-off for x86 setup_data or DT /chosen, the manifest, and the successor's inbound walk.
 */
package io.kho4j.handover;
