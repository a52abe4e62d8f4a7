/** A run's configuration: the {@code key=value} tree that the command line and files give. */
package io.veles.config;
