/** Internal: small helpers for messages, byte counts, closing and daemon thread pools. Not API. */
package io.veles.internal.util;
