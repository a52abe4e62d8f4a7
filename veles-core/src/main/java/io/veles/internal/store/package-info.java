/** Internal: atomic files, prefix locks and HTTP downloads that the stores are built from. Not API. */
package io.veles.internal.store;
