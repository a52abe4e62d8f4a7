/**
 * The snapshot contract an application codes against: {@link io.veles.pickle.Pickleable} (what is
 * captured, {@code getState}/{@code setState}, {@code initUnpickled}), {@link io.veles.pickle.State},
 * {@link io.veles.pickle.FormerName} and {@link io.veles.pickle.RestoreRules} for code that
 * changed, and {@link io.veles.pickle.SavedGraph} for tools that read a snapshot as data. The
 * serializer that implements it lives in {@code io.veles.internal.pickle}.
 */
package io.veles.pickle;
