package io.kho4j.cli;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON for {@code --json} output: {@link Map} (keys in iteration order; use a LinkedHashMap),
 * {@link List}, {@link CharSequence}, {@link Number}, {@link Boolean} and null. The output is pure ASCII:
 * other characters are escaped, so it survives any terminal encoding. u64 addresses belong in strings
 * ({@code "0x1000"}): JSON numbers lose precision above 2^53 in most readers.
 */
final class Json {
    /** Our own output nests a few levels; deeper means a cycle or misuse. */
    private static final int MAX_DEPTH = 32;

    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON value nested deeper than " + MAX_DEPTH);
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence) {
            string(sb, v.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            String sep = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(sep);
                string(sb, String.valueOf(e.getKey()));
                sb.append(':');
                write(sb, e.getValue(), depth + 1);
                sep = ",";
            }
            sb.append('}');
        } else if (v instanceof List<?> list) {
            sb.append('[');
            String sep = "";
            for (Object e : list) {
                sb.append(sep);
                write(sb, e, depth + 1);
                sep = ",";
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
