/** The S3 (and S3-compatible) object store: multipart uploads, ranged parallel reads, conditional writes. */
package io.veles.snapshot.store.s3;
