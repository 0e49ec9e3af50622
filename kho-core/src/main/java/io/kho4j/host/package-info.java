/**
 * Hosts that carry a handover across kexec: simulated, real Linux, dry run; and the physical memory they expose.
 */
package io.kho4j.host;
