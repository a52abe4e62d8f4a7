/** The compression codecs a snapshot may use (none, gz, bz2, xz, zst, lz4, snappy), each readable by its standard tool. */
package io.veles.snapshot.codec;
