package io.veles.config;

/** A setting is malformed or out of range; the message names the key. */
public class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
