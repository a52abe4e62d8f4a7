package io.veles.launcher;

import io.veles.config.Config;

/**
 * A workflow whose settings may change when it is resumed: {@code decision.max_epochs=60} on a
 * resume's command line trains longer. Only what the workflow applies here changes; every other
 * setting of a resumed run is the snapshot's, and the launcher warns about settings not used.
 */
public interface ResumableSettings {
    /**
     * Applies the settings given on the resume's command line (or config file) that this workflow
     * allows to change, after the restore and before {@code initialize()}. Reading a key marks it
     * used; keys not read are reported as not applied.
     */
    void applyOnResume(Config settings);
}
