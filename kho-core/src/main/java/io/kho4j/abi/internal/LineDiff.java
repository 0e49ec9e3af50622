package io.kho4j.abi.internal;

import java.util.ArrayList;
import java.util.List;

/** A minimal line diff (longest common subsequence) for short shape descriptions. */
public final class LineDiff {
    /** Shapes are small; beyond this many lines per side the diff lists both sides whole instead. */
    private static final int MAX_LINES = 2000;

    private LineDiff() {
    }

    /**
     * @param before old lines
     * @param after new lines
     * @return the changed lines, {@code "- "} for removed and {@code "+ "} for added, in order
     */
    public static List<String> diff(List<String> before, List<String> after) {
        List<String> out = new ArrayList<>();
        if (before.size() > MAX_LINES || after.size() > MAX_LINES) {
            before.forEach(l -> out.add("- " + l));
            after.forEach(l -> out.add("+ " + l));
            return out;
        }
        int n = before.size();
        int m = after.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = before.get(i).equals(after.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.add("+ " + after.get(j++));
            } else {
                out.add("- " + before.get(i++));
            }
        }
        return out;
    }
}
