/**
 * JMH benchmarks, compared with the C libfdt harness in src/main/c.
 */
package io.kho4j.benchmarks;
