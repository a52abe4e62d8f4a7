package io.veles.snapshot.export;

import java.util.regex.Pattern;

/**
 * A {@code --fields} pattern over names such as {@code fc1.weights}: shell-style globs ({@code *}
 * any run of characters, dots included; {@code ?} one character), several separated by commas.
 */
final class FieldGlob {
    private final Pattern pattern;

    FieldGlob(String globs) {
        StringBuilder regex = new StringBuilder();
        for (String glob : globs.split(",")) {
            if (regex.length() > 0) {
                regex.append('|');
            }
            regex.append("(?:");
            StringBuilder literal = new StringBuilder();
            for (char c : glob.trim().toCharArray()) {
                if (c == '*' || c == '?') {
                    regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                    literal.setLength(0);
                } else {
                    literal.append(c);
                }
            }
            regex.append(Pattern.quote(literal.toString())).append(')');
        }
        pattern = Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    boolean matches(String name) {
        return pattern.matcher(name).matches();
    }
}
