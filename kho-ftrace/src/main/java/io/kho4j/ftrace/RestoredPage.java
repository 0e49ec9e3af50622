package io.kho4j.ftrace;

/**
 * What the successor takes over from one old {@code struct buffer_page}: the v3 restore "copies {@code write},
 * {@code entries} and {@code real_end} from the old buffer_page" (kho-abi.md §6).
 *
 * @param page the page as handed over
 * @param write the old {@code write} index, within the data page
 * @param entries the old {@code entries} count
 * @param realEnd the old {@code real_end}, within the data page
 */
public record RestoredPage(BufferPage page, long write, long entries, long realEnd) {
}
