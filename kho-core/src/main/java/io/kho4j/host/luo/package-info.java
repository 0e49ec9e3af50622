/**
 * The Live Update Orchestrator's {@code /dev/liveupdate} device (Linux 6.19+): sessions of file descriptors
 * carried across kexec, over {@link io.kho4j.host.LinuxSyscalls} so a dry run or a test sees each request.
 */
package io.kho4j.host.luo;
