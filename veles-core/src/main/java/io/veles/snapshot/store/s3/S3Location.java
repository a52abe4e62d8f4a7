package io.veles.snapshot.store.s3;

import io.veles.errors.SnapshotException;
import io.veles.snapshot.codec.Codec;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix} location: the objects of one bucket whose keys start with
 * {@code prefix/} (a prefix may be empty: the bucket's top level). {@code s3://bucket/prefix/name.gz}
 * names one snapshot instead: a last segment that ends in a codec's extension ({@code .gz},
 * {@code .bz2}, {@code .xz}, {@code .zst}, {@code .lz4}, {@code .snappy}) is an object, anything
 * else a prefix. An uncompressed snapshot (no extension) reads as a prefix; a command that reads
 * one snapshot takes it as the object when that prefix holds no pointer and the object exists
 * ({@link ObjectStore#uncompressedSnapshotNamed}).
 *
 * @param bucket the bucket's name
 * @param prefix the key prefix without leading or trailing slash; empty for the top level
 * @param object the snapshot object's name within the prefix, or null when the location is a prefix
 */
public record S3Location(String bucket, String prefix, String object) {
    private static final String SCHEME = "s3://";
    /** S3's bucket naming rules (3-63 lower-case letters, digits, dots and hyphens). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new SnapshotException(
                    "'" + bucket + "' is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-')");
        }
        prefix = prefix == null ? "" : prefix;
    }

    /** True for {@code s3://...} text. */
    public static boolean isS3(String location) {
        return location != null && location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** Reads {@code s3://bucket[/prefix][/name<ext>]}; refuses any other form in one line. */
    public static S3Location parse(String location) {
        if (!isS3(location)) {
            throw new SnapshotException("'" + location + "' is not an s3://bucket/prefix location");
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : trimSlashes(rest.substring(slash + 1));
        if (path.contains("//")) {
            throw new SnapshotException("'" + location + "': an S3 prefix has no empty segments");
        }
        int last = path.lastIndexOf('/');
        String lastSegment = path.substring(last + 1);
        // a trailing '/' says prefix, even of one named like a snapshot file (runs/exp.gz/)
        boolean prefixOnly = rest.endsWith("/");
        if (!prefixOnly && !lastSegment.isEmpty() && Codec.fromFileName(lastSegment) != Codec.NONE) {
            return new S3Location(bucket, last < 0 ? "" : path.substring(0, last), lastSegment);
        }
        return new S3Location(bucket, path, null);
    }

    public Optional<String> objectName() {
        return Optional.ofNullable(object);
    }

    /** The location of the prefix itself (this one without its object). */
    public S3Location prefixLocation() {
        return object == null ? this : new S3Location(bucket, prefix, null);
    }

    /** The key of {@code name} within the prefix. */
    public String keyOf(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** What keys of objects directly within the prefix start with. */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** {@code s3://bucket/key} of an object of this bucket. */
    public String addressOf(String key) {
        return SCHEME + bucket + "/" + key;
    }

    /** The location as {@link #parse} reads it back: a prefix named like a snapshot file ends in '/'. */
    @Override
    public String toString() {
        String path = object == null ? prefix : keyOf(object);
        String shown = path.isEmpty() ? SCHEME + bucket : SCHEME + bucket + "/" + path;
        boolean namedLikeAFile = object == null
                && !prefix.isEmpty()
                && Codec.fromFileName(prefix.substring(prefix.lastIndexOf('/') + 1)) != Codec.NONE;
        return namedLikeAFile ? shown + "/" : shown;
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
