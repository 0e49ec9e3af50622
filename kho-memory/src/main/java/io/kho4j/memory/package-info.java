/**
 * Memory subsystems a host agent hands over: reserve_mem, kho_vmalloc, LUO, memfd, kho-test-v1, guest RAM.
 */
package io.kho4j.memory;
