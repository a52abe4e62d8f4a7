/** Progress of long snapshot reads and writes, for a terminal or a log. */
package io.veles.progress;
