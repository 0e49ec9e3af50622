package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesEveryKindInOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c");
        m.put("n", -5L);
        m.put("t", true);
        m.put("z", null);
        m.put("l", Arrays.asList(1, "x", List.of()));
        m.put("o", Map.of());
        assertEquals("{\"s\":\"a\\\"b\\\\c\",\"n\":-5,\"t\":true,\"z\":null,\"l\":[1,\"x\",[]],\"o\":{}}", Json.write(m));
    }

    @Test
    void outputIsAsciiWhateverTheNamesHold() {
        assertEquals("\"\\u0000\\u000a\\u001f\\u007f\\u00e9\\u20ac~\"", Json.write("\0\n\u001f\u007f\u00e9\u20ac~"));
    }

    @Test
    void refusesWhatHasNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
    }
}
