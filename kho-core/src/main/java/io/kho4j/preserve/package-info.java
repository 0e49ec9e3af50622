/**
 * Physical ranges, page orders and the preserved-memory map with one codec per upstream generation.
 */
package io.kho4j.preserve;
