/**
 * GICv3 LPI/ITS table handover. Not implemented yet: see the open GIC issue.
 */
package io.kho4j.gic;
