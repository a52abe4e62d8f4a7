/**
 * How snapshot files encode parts of the format's vocabulary ({@code io.veles.snapshot.format})
 * where the plain JSON of its types would be too slow or too large: the manifest's units in
 * columns. Not API.
 */
package io.veles.internal.format;
