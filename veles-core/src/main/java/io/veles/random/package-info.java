/** The seeded generator every unit draws from, captured in snapshots so a resumed run draws the same numbers. */
package io.veles.random;
