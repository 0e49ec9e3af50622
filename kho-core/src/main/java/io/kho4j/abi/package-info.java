/**
 * Versioned compatible strings, upstream KHO ABI generations, version negotiation and the ABI lock.
 */
package io.kho4j.abi;
