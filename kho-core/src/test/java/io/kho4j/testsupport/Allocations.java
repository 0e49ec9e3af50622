package io.kho4j.testsupport;

import java.lang.reflect.Method;

/**
 * Bytes a piece of code allocates on the current thread (HotSpot's
 * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}), for "hostile input allocates
 * nothing big" tests. Reached reflectively: the tests compile inside module io.kho4j.core, which does not
 * read jdk.management, and run on the class path, where it is visible.
 */
public final class Allocations {
    private Allocations() {
    }

    /**
     * @param code what to measure
     * @return bytes allocated by the current thread while it ran
     */
    public static long measure(Runnable code) {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getCurrentThreadAllocatedBytes");
            long before = (long) allocated.invoke(bean);
            code.run();
            return (long) allocated.invoke(bean) - before;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this JVM cannot count allocated bytes", e);
        }
    }
}
