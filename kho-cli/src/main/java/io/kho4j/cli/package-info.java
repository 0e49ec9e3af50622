/**
 * The kho command line.
 */
package io.kho4j.cli;
