package io.kho4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The documents must name only commands that exist, and CI must run the README's test command. */
class ReadmeCommandsTest {
    /** {@code kho} or {@code ./kho} as a word, then the words after it. */
    private static final Pattern INVOCATION = Pattern.compile("(?:^|[\\s;&|(`])(?:\\./)?kho(?=[ \\t]|$)((?:[ \\t]+[^\\s;&|)`]+)*)");

    static Stream<String> documents() {
        return Stream.of("README.md", "docs/CLI.md", "docs/getting-started.md");
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyKhoCommandInACodeBlockExists(String document) throws IOException {
        List<String> invocations = new ArrayList<>();
        for (String line : codeLines(Files.readString(TestFiles.repoRoot().resolve(document)))) {
            Matcher m = INVOCATION.matcher(line);
            while (m.find()) {
                invocations.add(m.group(1).trim());
            }
        }
        assertTrue(invocations.size() >= 3, document + " shows kho commands: " + invocations);
        invocations.forEach(words -> checkCommand(document, words));
    }

    @Test
    void theHelpExamplesNameExistingCommands() {
        String[] footer = KhoCommand.class.getAnnotation(CommandLine.Command.class).footer();
        int examples = 0;
        for (String line : footer) {
            Matcher m = INVOCATION.matcher(line);
            if (m.find()) {
                checkCommand("kho --help", m.group(1).trim());
                examples++;
            }
        }
        assertEquals(11, examples);
    }

    @Test
    void ciRunsExactlyTheReadmeTestCommand() throws IOException {
        String quickStart = Files.readString(TestFiles.repoRoot().resolve("README.md")).split("## Quick start", 2)[1]
                .split("\n## ", 2)[0];
        List<String> commands = codeLines(quickStart).stream().filter(l -> !l.isBlank()).toList();
        assertEquals(List.of("./kho demo", "mvn -B verify"), commands, "the two set-up commands");
        List<String> ciCommands = Files.readAllLines(TestFiles.repoRoot().resolve(".ci/run")).stream()
                .filter(l -> l.startsWith("mvn ")).toList();
        assertEquals(List.of("mvn -B verify"), ciCommands);
    }

    /** Walks the words through the command tree: while a command has subcommands, the next word must name one. */
    private static void checkCommand(String where, String words) {
        CommandLine cmd = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String word : words.isEmpty() ? new String[0] : words.split("[ \\t]+")) {
            if (cmd.getSubcommands().isEmpty() || word.startsWith("-") || word.startsWith("#")) {
                return;
            }
            CommandLine sub = cmd.getSubcommands().get(word.replaceAll(":$", ""));
            if (sub == null) {
                fail(where + " names '" + cmd.getCommandSpec().qualifiedName() + " " + word + "', which does not exist"
                        + " (in: kho " + words + ")");
            }
            cmd = sub;
        }
        if (!cmd.getSubcommands().isEmpty() && !cmd.getCommandName().equals("kho")) {
            fail(where + " names '" + cmd.getCommandSpec().qualifiedName() + "' without a subcommand");
        }
    }

    /** @return the lines inside fenced code blocks */
    private static List<String> codeLines(String markdown) {
        List<String> out = new ArrayList<>();
        boolean inside = false;
        for (String line : markdown.split("\n")) {
            if (line.strip().startsWith("```")) {
                inside = !inside;
            } else if (inside) {
                out.add(line);
            }
        }
        return out;
    }
}
