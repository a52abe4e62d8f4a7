/** Internal: small helpers for messages, byte counts and closing. Not API. */
package io.veles.internal.util;
