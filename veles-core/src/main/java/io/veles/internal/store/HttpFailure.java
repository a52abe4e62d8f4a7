package io.veles.internal.store;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Names why a download failed, in a user's words (refused, timed out, TLS, truncated) rather than an exception's class. */
final class HttpFailure {
    private HttpFailure() {}

    /** The body ended (or broke) before all of it came. */
    static final class Truncated extends IOException {
        Truncated(long received, long expected, IOException cause) {
            super(
                    "truncated: the connection ended after " + received
                            + (expected >= 0 ? " of " + expected : "") + " bytes"
                            + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : ""),
                    cause);
        }
    }

    static String describe(IOException e, String address, HttpLimits limits) {
        String host = hostOf(address);
        if (e instanceof Truncated) {
            return e.getMessage();
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + host;
        }
        if (e instanceof SocketTimeoutException) {
            boolean connecting = e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("connect");
            return connecting
                    ? "timed out connecting to " + host + " after "
                            + seconds(limits.connectTimeout().toMillis()) + " (--http-connect-timeout)"
                    : "timed out: " + host + " sent nothing for "
                            + seconds(limits.readTimeout().toMillis()) + " (--http-read-timeout)";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + host;
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + host;
        }
        if (e instanceof SSLException) {
            return "TLS failed with " + host + ": " + e.getMessage();
        }
        return e.getMessage() != null
                ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName();
    }

    private static String hostOf(String address) {
        try {
            URI uri = URI.create(address);
            return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        } catch (IllegalArgumentException e) {
            return address;
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
