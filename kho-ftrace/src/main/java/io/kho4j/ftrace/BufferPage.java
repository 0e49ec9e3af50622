package io.kho4j.ftrace;

import io.kho4j.preserve.PhysRange;
import java.util.Objects;

/**
 * One ring-buffer page of a CPU as the {@code mem} property describes it: "Each page consists of two elements. The
 * first element describes the location of the struct buffer_page ... The second element points to the ring buffer
 * data page" (Graf v2 bindings, kho-abi.md §6).
 *
 * @param bpage the {@code struct buffer_page} (a small slab object: {@link BufferPageLayout#size()} bytes)
 * @param data the data page ({@code struct buffer_data_page}, one page)
 */
public record BufferPage(PhysRange bpage, PhysRange data) {
    /** @throws NullPointerException for a missing range */
    public BufferPage {
        Objects.requireNonNull(bpage, "bpage");
        Objects.requireNonNull(data, "data");
    }

    /**
     * @param bpage address of the {@code struct buffer_page}
     * @param layout its layout, which gives its length
     * @param data address of the data page
     * @param pageSize the data page's length
     * @return the page
     */
    public static BufferPage of(long bpage, BufferPageLayout layout, long data, int pageSize) {
        return new BufferPage(new PhysRange(bpage, layout.size()), new PhysRange(data, pageSize));
    }
}
