/**
 * ftrace ring-buffer handover (ftrace-v1, ftrace,array-v1, ftrace,cpu-v1). Not implemented yet: see the open ftrace issue.
 */
package io.kho4j.ftrace;
