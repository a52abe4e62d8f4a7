/**
 * Running a workflow from Java: {@link io.veles.launcher.Veles#run} and its builder start a run
 * (new or resumed from a snapshot) with snapshots, signal handling and a result file;
 * {@link io.veles.launcher.Veles#restore} restores a workflow without running it, for tools.
 */
package io.veles.launcher;
