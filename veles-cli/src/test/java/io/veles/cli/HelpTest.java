package io.veles.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

/** Every command's --help ends with examples that fit an 80-column terminal, so they copy whole. */
class HelpTest {
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
                assertThat(line.length()).as(name + ": " + line).isLessThanOrEqualTo(80);
                // A wrapped example would continue on a line that is neither a command, a comment nor a continuation.
                if (!line.isBlank() && !line.startsWith("Example")) {
                    assertThat(line).as(name).matches("  (veles .*|    .*|\\s+# .*)");
                }
            }
        }
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
