package com.example.labels;

import java.util.Objects;

/**
 * A plain class in another package of the application than its workflow: allowed in snapshots
 * because it comes from the workflow's own code source, with no --allow-package.
 */
public final class Label {
    private final String text;
    private int uses;

    public Label(String text, int uses) {
        this.text = text;
        this.uses = uses;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Label && ((Label) other).text.equals(text) && ((Label) other).uses == uses;
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, uses);
    }

    @Override
    public String toString() {
        return "Label(" + text + ", " + uses + ")";
    }
}
