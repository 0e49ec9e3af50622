/**
 * The KHO tree model: nodes and typed properties, assembled into root and subsystem blobs per ABI generation.
 */
package io.kho4j.tree;
