/**
 * Service interfaces for subsystem serializers and restorers.
 */
package io.kho4j.spi;
