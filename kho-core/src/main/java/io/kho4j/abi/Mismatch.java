package io.kho4j.abi;

import java.util.List;

/**
 * One subsystem whose inbound versions its reader cannot read.
 *
 * @param subsystem the subtree name
 * @param found the compatible strings the producer wrote, verbatim
 * @param supported the versions the reader supports
 * @param reason why no version matched, in words
 */
public record Mismatch(String subsystem, List<String> found, List<CompatibleString> supported, String reason) {
    /** Copies the lists. */
    public Mismatch {
        found = List.copyOf(found);
        supported = List.copyOf(supported);
    }

    @Override
    public String toString() {
        return subsystem + ": found " + found + ", supported " + supported + " (" + reason + ")";
    }
}
