/**
 * Test kit for serializer authors: contract tests, ABI pinning, hostile blobs, simulated hosts.
 */
package io.kho4j.testkit;
