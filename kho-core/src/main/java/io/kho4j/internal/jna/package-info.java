/**
 * JNA bindings (libfdt, libc). Not API: only this package touches native code.
 */
package io.kho4j.internal.jna;
