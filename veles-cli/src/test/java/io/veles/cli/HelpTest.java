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
