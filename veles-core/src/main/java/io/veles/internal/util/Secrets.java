package io.veles.internal.util;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and hides passwords in connection strings and messages, in every syntax a user can give
 * one: ODBC {@code PWD=} and {@code PASSWORD=} (plain or braced), JDBC {@code password=} and the
 * {@code user:password@} of a URL. What this hides is never printed, logged or written.
 */
public final class Secrets {
    private static final String HIDDEN = "***";
    // A braced ODBC value ends at a single '}' ('}}' is an escaped brace); a plain one at ';' or '&'.
    // Possessive: a braced value is matched run by run, never char by char with backtracking,
    // whose recursion overflowed the stack on a value of some 30,000 characters.
    private static final Pattern KEY_VALUE =
            Pattern.compile("(?i)\\b(PWD|PASSWORD)(\\s*=\\s*)(\\{(?:[^}]++|\\}\\})*+\\}?|[^;&\\s]*)");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*):([^/@\\s]*)@");
    /**
     * A web address's query: a pre-signed URL carries its credentials there (X-Amz-Credential,
     * X-Amz-Security-Token, X-Amz-Signature; sig, token... elsewhere), so it is never shown.
     */
    // The query ends at a space, a '#', or a ':' that a space or the end follows ("<address>: why").
    // Every address matches, its query optional, and each match consumes its address whole: a
    // required '?' sent the search back to rescan a run from each "http://" in it, quadratic in
    // its length (a 2 MB class name of repeated "http://" from a snapshot held up an error line).
    private static final Pattern URL_QUERY =
            Pattern.compile("(?i)(\\bhttps?://[^\\s?#]*+)(?:\\?((?:[^\\s#:]++|:(?![\\s]|$))*+))?");
    /** Query parameters whose values are found as secrets, to be hidden wherever they appear. */
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "(?i)(?:^|&)[^=&]*(?:signature|credential|token|secret|password|key|sig|auth)[^=&]*=([^&]*)");

    private Secrets() {}

    /** {@code text} with every password it holds replaced by {@code ***}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String keys = KEY_VALUE
                .matcher(text)
                .replaceAll(match -> Matcher.quoteReplacement(
                        match.group(1) + match.group(2) + (match.group(3).isEmpty() ? "" : HIDDEN)));
        String users = USER_INFO
                .matcher(keys)
                .replaceAll(match -> Matcher.quoteReplacement(match.group(1) + ":" + HIDDEN + "@"));
        return URL_QUERY
                .matcher(users)
                .replaceAll(match -> Matcher.quoteReplacement(
                        match.group(2) == null ? match.group() : match.group(1) + "?" + HIDDEN));
    }

    /** The passwords {@code text} holds, braces removed, so that other renderings of them can be hidden too. */
    public static List<String> find(String text) {
        List<String> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        Matcher keys = KEY_VALUE.matcher(text);
        while (keys.find()) {
            String value = keys.group(3);
            if (value.startsWith("{")) {
                value = value.substring(1, value.endsWith("}") ? value.length() - 1 : value.length())
                        .replace("}}", "}");
            }
            addIfUsable(found, value);
        }
        Matcher userInfo = USER_INFO.matcher(text);
        while (userInfo.find()) {
            addIfUsable(found, userInfo.group(2));
        }
        Matcher query = URL_QUERY.matcher(text);
        while (query.find()) {
            if (query.group(2) == null) {
                continue; // an address without a query
            }
            Matcher parameter = SECRET_PARAMETER.matcher(query.group(2));
            while (parameter.find()) {
                addIfUsable(found, parameter.group(1));
                // and as a server or a log may show it, percent-decoded
                try {
                    addIfUsable(
                            found,
                            java.net.URLDecoder.decode(parameter.group(1), java.nio.charset.StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    // not percent-encoded after all: the value as given is hidden above
                }
            }
        }
        return found;
    }

    /** {@code text} redacted, and with each of {@code secrets} replaced wherever it appears. */
    public static String scrub(String text, Collection<String> secrets) {
        String result = redact(text);
        for (String secret : secrets) {
            result = result.replace(secret, HIDDEN);
        }
        return result;
    }

    private static void addIfUsable(List<String> found, String value) {
        // A one- or two-character password would turn every such letter of a message into ***.
        if (value.length() >= 3 && !value.equals(HIDDEN)) {
            found.add(value);
            // Parsers split a password holding ';' or '&' into pieces that messages quote alone.
            for (String piece : value.split("[;&]")) {
                if (piece.length() >= 3 && !piece.equals(value)) {
                    found.add(piece);
                }
            }
        }
    }
}
