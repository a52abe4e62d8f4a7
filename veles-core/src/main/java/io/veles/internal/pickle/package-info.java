/**
 * Internal: the Kryo-based serializer behind {@code io.veles.pickle}. Not API: it changes without
 * notice, and nothing outside veles-core and veles-cli may use it.
 */
package io.veles.internal.pickle;
