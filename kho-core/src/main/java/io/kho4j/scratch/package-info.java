/**
 * Scratch (bootmem) areas: the kho_scratch= parser, the scratch planner and the struct kho_scratch array.
 */
package io.kho4j.scratch;
