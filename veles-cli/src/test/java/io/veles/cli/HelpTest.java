package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/**
 * Every command's --help reads well on an 80-column terminal: its description wraps as flowing
 * text, and it ends with examples that do not wrap, so they copy whole.
 */
class HelpTest {
    private static final int WIDTH = 80;

    @Test
    void everyCommandHasExamplesThatDoNotWrap() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        assertThat(commands).hasSizeGreaterThan(10);
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String name = command.getCommandSpec().qualifiedName();
            assertThat(help).as(name).containsPattern("Examples?:");
            String examples = help.substring(help.indexOf("Example"));
            for (String line : examples.lines().toList()) {
                assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(WIDTH);
                // A wrapped example would continue on a line that is neither a command, a comment nor a continuation.
                if (!line.isBlank() && !line.startsWith("Example")) {
                    assertThat(line).as(name).matches("  (veles .*|    .*|\\s+# .*)");
                }
            }
        }
    }

    /**
     * Picocli wraps each element of a description on its own, so an element that holds part of a
     * sentence ends in a short line (the help once read "... the decision's epoch" / "and metric
     * where recorded ..."). So each element is whole sentences, and a line may end short only
     * where an element ends.
     */
    @Test
    void descriptionsWrapOnlyWhereTheirParagraphsEnd() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        for (CommandLine command : commands) {
            String name = command.getCommandSpec().qualifiedName();
            String[] paragraphs = command.getCommandSpec().usageMessage().description();
            for (String paragraph : paragraphs) {
                assertThat(paragraph.strip())
                        .as(name + ": a description element ends mid-sentence")
                        .matches("(?s).*[.!?:]");
            }
            List<String> lines = command.getHelp().description().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i).stripTrailing();
                String next = lines.get(i + 1).strip();
                if (next.isEmpty() || endsAParagraph(line, paragraphs)) {
                    continue;
                }
                String nextWord = next.split(" ", 2)[0];
                assertThat(line.length() + 1 + nextWord.length())
                        .as(name + ": a line ends short, mid-paragraph: \"" + line + "\"")
                        .isGreaterThan(WIDTH - 1); // picocli leaves the last column free
            }
        }
    }

    /**
     * Picocli breaks a line inside a word where its line-break rules allow it ("an http(s):" /
     * "// address."), which a reader cannot copy. No line of a description, option or parameter
     * ends with the start of a longer word that the next line goes on with, but before the
     * bracket of an optional part.
     */
    @Test
    void noWordIsBrokenAcrossLines() {
        org.assertj.core.api.SoftAssertions softly = new org.assertj.core.api.SoftAssertions();
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new Main()), commands);
        for (CommandLine command : commands) {
            CommandLine.Model.CommandSpec spec = command.getCommandSpec();
            List<String> words = new ArrayList<>();
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            spec.options().forEach(option -> texts.addAll(List.of(option.description())));
            spec.positionalParameters().forEach(parameter -> texts.addAll(List.of(parameter.description())));
            texts.forEach(text -> words.addAll(List.of(text.split("\\s+"))));
            CommandLine.Help help = command.getHelp();
            for (String section : List.of(help.description(), help.optionList(), help.parameterList())) {
                List<String> lines = section.lines().toList();
                for (int i = 0; i + 1 < lines.size(); i++) {
                    String[] ending = lines.get(i).strip().split("\\s+");
                    String last = ending[ending.length - 1];
                    String next = lines.get(i + 1).strip().split("\\s+", 2)[0];
                    if (next.startsWith("[")) {
                        continue; // before an optional part, as in odbc://<odbc string> / [&<table>]
                    }
                    String joined = last + next;
                    softly.assertThat(words.stream().noneMatch(word -> !last.isEmpty() && word.startsWith(joined)))
                            .as(spec.qualifiedName() + ": a word is broken after \"" + last + "\"")
                            .isTrue();
                }
            }
        }
        softly.assertAll();
    }

    private static boolean endsAParagraph(String line, String[] paragraphs) {
        String end = line.substring(Math.max(0, line.length() - 20)).strip();
        for (String paragraph : paragraphs) {
            if (paragraph.strip().endsWith(end)) {
                return true;
            }
        }
        return false;
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
