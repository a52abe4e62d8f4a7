package io.veles.snapshot.export;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --fields} pattern over names such as {@code fc1.weights}: shell-style globs ({@code *}
 * any run of characters, dots included; {@code ?} one character), several separated by commas.
 *
 * <p>Matched by the two-pointer wildcard walk, which backs up only to the last {@code *}: at most
 * the name's length times the glob's steps. A regular expression of {@code .*} groups backtracked
 * polynomially, and a snapshot's name of 200,000 dots held {@code *.*.weights} for minutes.
 */
final class FieldGlob {
    private final List<String> globs = new ArrayList<>();

    FieldGlob(String globs) {
        for (String glob : globs.split(",")) {
            this.globs.add(glob.trim());
        }
    }

    boolean matches(String name) {
        for (String glob : globs) {
            if (matches(glob, name)) {
                return true;
            }
        }
        return false;
    }

    /** Walks code points, so that {@code ?} takes one character whatever its UTF-16 length (an emoji is two chars). */
    private static boolean matches(String globText, String nameText) {
        int[] glob = globText.codePoints().toArray();
        int[] name = nameText.codePoints().toArray();
        int g = 0;
        int n = 0;
        int star = -1; // the glob's position after its last '*' met, and where in the name it started
        int starFrom = 0;
        while (n < name.length) {
            if (g < glob.length && (glob[g] == '?' || glob[g] == name[n])) {
                g++;
                n++;
            } else if (g < glob.length && glob[g] == '*') {
                star = ++g;
                starFrom = n;
            } else if (star >= 0) { // let the last '*' take one more character
                g = star;
                n = ++starFrom;
            } else {
                return false;
            }
        }
        while (g < glob.length && glob[g] == '*') {
            g++;
        }
        return g == glob.length;
    }
}
