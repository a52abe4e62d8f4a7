package io.veles.snapshot.store.s3;

import io.veles.errors.SnapshotException;
import io.veles.errors.SnapshotStoreException;
import io.veles.internal.store.SnapshotDirectory;
import io.veles.snapshot.codec.Codec;
import io.veles.snapshot.store.NewSnapshot;
import io.veles.snapshot.store.SnapshotBody;
import io.veles.snapshot.store.SnapshotSource;
import io.veles.snapshot.store.SnapshotStore;
import io.veles.snapshot.store.StoredSnapshot;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Snapshots as objects of an S3-compatible bucket ({@code s3://bucket/prefix}): AWS S3, MinIO,
 * Ceph RGW, and GCS or R2 through their S3 APIs.
 *
 * <p>Keys, within the prefix:
 * <ul>
 *   <li>{@code <name><ext>}: a snapshot ({@code <prefix>_<suffix>} and its codec's extension), as a
 *       file of a snapshot directory is named, so that {@code aws s3 cp} of it is a valid snapshot
 *       file;</li>
 *   <li>{@code <prefix>_current}: a small pointer object whose text is the name of the newest
 *       snapshot of that snapshot prefix within the prefix (as a directory's {@code _current}
 *       link is relative, so that a prefix copied elsewhere with {@code aws s3 sync} still
 *       resumes), written only after that snapshot is complete, so it never names a missing
 *       object;</li>
 *   <li>{@code .<name><ext>.pin}: an empty marker object that pins a snapshot, as a
 *       {@code .<file>.pin} file does in a directory. Markers rather than object tags, because
 *       tagging is not implemented by every S3-compatible store (s3proxy's filesystem backend
 *       answers NotImplemented), and a marker lists with the snapshots it pins.</li>
 * </ul>
 *
 * <p>Writing ({@link #write}) streams the body through a multipart upload with bounded memory
 * ({@link ObjectUpload}); the object becomes visible only when the upload completes, and any
 * failure aborts it, leaving nothing. Parts of an upload whose process was killed (SIGKILL, a
 * preempted node) stay invisible but stored and billed until aborted: {@link #abortStaleUploads}
 * aborts them ({@code snapshot prune} calls it), and a bucket lifecycle rule
 * ({@code AbortIncompleteMultipartUpload}) reclaims them on the server's side.
 *
 * <p>A snapshot is never replaced. A name is checked free first (a HEAD); then the object is
 * created with {@code If-None-Match: *}, so that where the server honours conditional writes
 * (AWS S3, s3proxy, MinIO) a writer that took the name in between fails this write rather than
 * being replaced. Where a server does not implement the header, the check alone protects, as
 * in a directory.
 *
 * <p>S3 has no locks: {@link #lockPrefix} returns a lock that holds nothing. Two live runs writing
 * one prefix still never replace each other's snapshots, but their {@code _current} pointers
 * race; give each run its own prefix.
 *
 * <p>Reading ({@link #open}) fetches ranges in parallel into one sequential stream
 * ({@link ObjectDownload}). Failures are {@link SnapshotException}s of one line naming the
 * location and the cause (missing bucket, access denied, invalid or expired credential,
 * unreachable endpoint); credentials never appear in them, in {@link #describe()} or in a
 * snapshot's location.
 */
public final class ObjectStore implements SnapshotStore {
    private static final String CURRENT = "_current";
    private static final String PIN = ".pin";
    private static final int MAX_NAMES = 100;
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final S3Location location;
    private final S3Options options;
    private final S3Client s3;
    private final ExecutorService workers;
    private final ConditionalWrites conditional = new ConditionalWrites();

    private ObjectStore(S3Location location, S3Options options, S3Client s3) {
        this.location = location.prefixLocation();
        this.options = options;
        this.s3 = s3;
        this.workers = newWorkers();
    }

    /** Daemon threads for an object's parts, started as they are needed. */
    private static ExecutorService newWorkers() {
        return Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "veles-s3-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The store of {@code location}'s prefix (of its object's prefix when it names one), reached
     * with {@code options}. Contacts the server only when first used.
     */
    public static ObjectStore open(S3Location location, S3Options options) {
        S3Client client;
        try {
            client = S3Clients.build(options);
        } catch (SdkException e) {
            throw S3Failure.of("cannot set up the S3 client", location, e);
        }
        return new ObjectStore(location, options, client);
    }

    public S3Location location() {
        return location;
    }

    @Override
    public String describe() {
        return location.toString();
    }

    @Override
    public List<StoredSnapshot> list() {
        List<StoredSnapshot> snapshots = new ArrayList<>();
        for (S3Object object : objects("list")) {
            String fileName = fileName(object.key());
            if (isSnapshot(fileName)) {
                snapshots.add(handle(object.key(), object.lastModified(), object.size()));
            }
        }
        return oldestFirst(snapshots);
    }

    /**
     * {@code snapshots} ordered by when they were written. A listing's times have whole seconds,
     * so snapshots of one second are told apart by the start time their writer recorded
     * ({@link ObjectUpload#STARTED}), read only for them; objects without it (another tool's) fall
     * back to their keys.
     */
    private List<StoredSnapshot> oldestFirst(List<StoredSnapshot> snapshots) {
        Map<Instant, Long> perSecond =
                snapshots.stream().collect(Collectors.groupingBy(StoredSnapshot::created, Collectors.counting()));
        Map<String, Instant> started = new HashMap<>();
        for (StoredSnapshot snapshot : snapshots) {
            if (perSecond.get(snapshot.created()) > 1) {
                started.put(
                        snapshot.key(),
                        head(snapshot.key(), "list")
                                .map(head -> head.metadata().get(ObjectUpload.STARTED))
                                .map(ObjectStore::instantOrEpoch)
                                .orElse(Instant.EPOCH));
            }
        }
        List<StoredSnapshot> ordered = new ArrayList<>(snapshots);
        ordered.sort(Comparator.comparing(StoredSnapshot::created)
                .thenComparing(snapshot -> started.getOrDefault(snapshot.key(), Instant.EPOCH))
                .thenComparing(StoredSnapshot::key));
        return ordered;
    }

    @Override
    public InputStream open(StoredSnapshot snapshot) {
        HeadObjectResponse head = head(snapshot.key(), "read")
                .orElseThrow(() -> new SnapshotException("no such snapshot: " + location.addressOf(snapshot.key())));
        return new ObjectDownload(s3, location, snapshot.key(), head.eTag(), head.contentLength(), options, workers);
    }

    /**
     * The snapshot {@code location} names: its object, or for a prefix the newest snapshot any of
     * its {@code _current} pointers names. Refuses in one line when there is none.
     */
    public StoredSnapshot resolve(S3Location named) {
        if (named.object() != null) {
            String key = named.keyOf(named.object());
            Optional<StoredSnapshot> found =
                    head(key, "read").map(head -> handle(key, head.lastModified(), head.contentLength()));
            if (found.isEmpty()) {
                // A HEAD's 404 says nothing of why: a listing names a missing bucket or a refused credential.
                call(
                        "cannot read " + named,
                        () -> s3.listObjectsV2(request -> request.bucket(location.bucket())
                                .prefix(location.keyPrefix())
                                .maxKeys(1)));
                throw new SnapshotException("no such snapshot: " + named);
            }
            return found.get();
        }
        return pointers().values().stream()
                .map(this::target)
                .max(Comparator.comparing(StoredSnapshot::created).thenComparing(StoredSnapshot::key))
                .orElseThrow(
                        () -> new SnapshotException(
                                named
                                        + " holds no *_current pointer to a newest snapshot (a copy made by convert has none: give its own address)"));
    }

    /** One HEAD of the key, rather than a listing of the prefix. */
    @Override
    public boolean holds(String key) {
        return head(key, "read").isPresent();
    }

    /**
     * The address of the uncompressed snapshot this store's prefix really names, if it does: an
     * uncompressed snapshot has no codec's extension, so {@code s3://b/runs/walk_00005} (the
     * address a run or a convert prints for one) reads as a prefix. It is taken as the object
     * when the prefix holds no {@code _current} pointer and an object has the prefix's key.
     */
    public Optional<S3Location> uncompressedSnapshotNamed() {
        String key = location.prefix();
        int last = key.lastIndexOf('/');
        if (key.isEmpty()
                || !isSnapshot(key.substring(last + 1))
                || !pointers().isEmpty()
                || head(key, "read").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new S3Location(location.bucket(), last < 0 ? "" : key.substring(0, last), key.substring(last + 1)));
    }

    /** {@code wanted}, or where its name is taken the first free alternative, so that the manifest records the name written. */
    @Override
    public NewSnapshot freeName(NewSnapshot wanted) {
        String key = freeKey(wanted);
        String fileName = fileName(key);
        String suffix = fileName.substring(
                wanted.prefix().length() + 1,
                fileName.length() - wanted.codec().extension().length());
        return suffix.equals(wanted.suffix()) ? wanted : wanted.withSuffix(suffix);
    }

    /**
     * What a resume from the whole prefix may take, newest first: each {@code _current}
     * pointer's snapshot, or, for a pointer to a missing object, the problem.
     */
    public SnapshotSource.Candidates currents() {
        List<SnapshotSource.Candidate> candidates = new ArrayList<>();
        for (String pointer : pointers().values()) {
            try {
                candidates.add(new SnapshotSource.Candidate(target(pointer), null));
            } catch (SnapshotException e) {
                candidates.add(new SnapshotSource.Candidate(null, e.getMessage()));
            }
        }
        candidates.sort(Comparator.comparing((SnapshotSource.Candidate candidate) -> candidate.snapshot() == null
                        ? Instant.MIN
                        : candidate.snapshot().created())
                .reversed());
        return new SnapshotSource.Candidates(
                candidates,
                location
                        + " holds no *_current pointer to a newest snapshot (a copy made by convert has none: give its own address)");
    }

    @Override
    public StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body) {
        return write(snapshot, body, true);
    }

    @Override
    public StoredSnapshot writeCopy(NewSnapshot snapshot, SnapshotBody body) {
        return write(snapshot, body, false);
    }

    /** Uploads a snapshot; points {@code _current} at it if {@code newest}. */
    private StoredSnapshot write(NewSnapshot snapshot, SnapshotBody body, boolean newest) {
        checkPart("prefix", snapshot.prefix());
        checkPart("suffix", snapshot.suffix());
        if (snapshot.suffix().equals("current")) {
            throw new SnapshotException("snapshot suffix 'current' is reserved for the pointer to the newest snapshot");
        }
        checkWritable();
        String key = freeKey(snapshot);
        // Threads of this upload alone, started by the writing thread and so at its priority: a
        // background snapshot's below the run, a synchronous one's at the run's (ThreadNice).
        ExecutorService uploadWorkers = newWorkers(); // no thread until a part is sent
        ObjectUpload upload = new ObjectUpload(s3, location.bucket(), key, options, uploadWorkers, conditional);
        try {
            body.writeTo(upload);
            upload.complete();
        } catch (IOException | RuntimeException | Error e) {
            abort(upload, e);
            throw writeFailure(key, e);
        } finally {
            uploadWorkers.shutdown(); // abort waited for the parts: the threads end once idle
        }
        // The handle as list() will show it (the server's time), and proof the object is there before it is pointed at.
        StoredSnapshot written = head(key, "read back")
                .map(head -> handle(key, head.lastModified(), head.contentLength()))
                .orElseThrow(() -> new SnapshotStoreException("cannot write " + location.addressOf(key)
                        + ": the server completed the upload but does not show the object"));
        String pointer = location.keyOf(snapshot.prefix() + CURRENT);
        if (!newest) {
            // A copy: the prefix's newest stays what it was. Not even a first pointer: a location's
            // newest is the pointer target uploaded last, and the copy was uploaded now.
            return written;
        }
        call(
                "cannot move " + location.addressOf(pointer) + " to " + location.addressOf(key),
                () -> s3.putObject(
                        request ->
                                request.bucket(location.bucket()).key(pointer).contentType("text/plain"),
                        RequestBody.fromString(fileName(key) + "\n", StandardCharsets.UTF_8)));
        return written;
    }

    @Override
    public void delete(StoredSnapshot snapshot) {
        call(
                "cannot delete " + snapshot.location(),
                () -> s3.deleteObject(
                        request -> request.bucket(location.bucket()).key(snapshot.key())));
    }

    @Override
    public void pin(StoredSnapshot snapshot) {
        String marker = pinMarker(snapshot.key());
        call(
                "cannot pin " + snapshot.location(),
                () -> s3.putObject(request -> request.bucket(location.bucket()).key(marker), RequestBody.empty()));
    }

    @Override
    public boolean unpin(StoredSnapshot snapshot) {
        if (!isPinned(snapshot)) {
            return false;
        }
        String marker = pinMarker(snapshot.key());
        call(
                "cannot unpin " + snapshot.location(),
                () -> s3.deleteObject(
                        request -> request.bucket(location.bucket()).key(marker)));
        return true;
    }

    @Override
    public boolean isPinned(StoredSnapshot snapshot) {
        return head(pinMarker(snapshot.key()), "read the pin of").isPresent();
    }

    @Override
    public Map<String, String> protections() {
        Map<String, String> protections = new LinkedHashMap<>();
        for (String pointer : pointers().values()) {
            protections.put(readPointer(pointer), "current");
        }
        for (S3Object object : objects("list")) {
            String fileName = fileName(object.key());
            if (fileName.startsWith(".") && fileName.endsWith(PIN)) {
                protections.put(location.keyOf(fileName.substring(1, fileName.length() - PIN.length())), "pinned");
            }
        }
        return protections;
    }

    @Override
    public Optional<StoredSnapshot> current(String prefix) {
        checkPart("prefix", prefix);
        String pointer = location.keyOf(prefix + CURRENT);
        if (head(pointer, "read").isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(target(pointer));
    }

    /** S3 has no locks: the lock holds nothing (see the class comment). */
    @Override
    public WriterLock lockPrefix(String prefix, String runId) {
        checkPart("prefix", prefix);
        // Nothing to hold, but a run asks before its first iteration: a missing bucket, a wrong
        // endpoint or bad credentials stop it then, not at its first snapshot, hours later.
        checkWritable();
        return () -> {};
    }

    /**
     * Names a missing bucket or a refused credential before anything is sent: a listing of one key
     * says which (a HEAD's error has no body to say it).
     */
    private void checkWritable() {
        call(
                "cannot write to " + location,
                () -> s3.listObjectsV2(request -> request.bucket(location.bucket())
                        .prefix(location.keyPrefix())
                        .maxKeys(1)));
    }

    /**
     * Aborts the incomplete multipart uploads of this prefix begun more than {@code olderThan}
     * ago: what writers killed mid-upload left (invisible, but stored). Returns how many it
     * aborted. A bucket lifecycle rule ({@code AbortIncompleteMultipartUpload}) does the same on
     * the server's side without anyone running this.
     */
    @Override
    public int reclaimAbandonedWrites(Duration olderThan) {
        return abortStaleUploads(olderThan);
    }

    public int abortStaleUploads(Duration olderThan) {
        Instant before = Instant.now().minus(olderThan);
        List<MultipartUpload> stale = new ArrayList<>();
        call("cannot list the incomplete uploads of " + location, () -> {
            s3.listMultipartUploadsPaginator(request -> request.bucket(location.bucket())
                            .prefix(location.keyPrefix())
                            .delimiter("/"))
                    .uploads()
                    .forEach(upload -> {
                        if (upload.initiated().isBefore(before)) {
                            stale.add(upload);
                        }
                    });
            return null;
        });
        for (MultipartUpload upload : stale) {
            call(
                    "cannot abort the incomplete upload of " + location.addressOf(upload.key()),
                    () -> s3.abortMultipartUpload(request ->
                            request.bucket(location.bucket()).key(upload.key()).uploadId(upload.uploadId())));
        }
        return stale.size();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        s3.close();
    }

    private String freeKey(NewSnapshot snapshot) {
        String extension = snapshot.codec().extension();
        for (int attempt = 0; attempt < MAX_NAMES; attempt++) {
            String name = snapshot.prefix() + "_"
                    + SnapshotDirectory.alternativeSuffix(snapshot.suffix(), snapshot.discriminator(), attempt)
                    + extension;
            String key = location.keyOf(name);
            if (head(key, "write to").isEmpty()) {
                return key;
            }
        }
        throw new SnapshotException(
                "cannot name a snapshot " + location.addressOf(location.keyOf(snapshot.name() + extension))
                        + ": it and " + (MAX_NAMES - 1) + " alternative names are taken");
    }

    private void abort(ObjectUpload upload, Throwable failure) {
        try {
            upload.abort();
        } catch (RuntimeException e) {
            failure.addSuppressed(e); // its parts stay invisible until prune or a lifecycle rule reclaims them
        }
    }

    private SnapshotException writeFailure(String key, Throwable failure) {
        String what = "cannot write " + location.addressOf(key);
        if (failure instanceof S3Exception s3Failure && ConditionalWrites.keyTaken(s3Failure)) {
            return new SnapshotStoreException(
                    what + ": another writer took the name meanwhile (nothing replaced; runs writing one"
                            + " prefix race for its names: give each run a prefix of its own)",
                    failure);
        }
        if (failure instanceof SnapshotException snapshotFailure) {
            return snapshotFailure;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SdkException) {
                return new SnapshotStoreException(what + ": " + S3Failure.describe(cause, location), failure);
            }
        }
        if (failure instanceof RuntimeException bug && !(failure instanceof UncheckedIOException)) {
            throw bug; // the writer's own failure, not the store's: the caller sees it as thrown, as from every store
        }
        return new SnapshotStoreException(what + ": " + S3Failure.describe(failure, location), failure);
    }

    /** The objects directly within the prefix. */
    private List<S3Object> objects(String what) {
        return call("cannot " + what + " " + location, () -> {
            List<S3Object> objects = new ArrayList<>();
            s3.listObjectsV2Paginator(request -> request.bucket(location.bucket())
                            .prefix(location.keyPrefix())
                            .delimiter("/"))
                    .contents()
                    .forEach(objects::add);
            return objects;
        });
    }

    /** The {@code _current} pointers of the prefix (their keys), by snapshot prefix. */
    private Map<String, String> pointers() {
        Map<String, String> pointers = new LinkedHashMap<>();
        for (S3Object object : objects("list")) {
            String fileName = fileName(object.key());
            if (fileName.endsWith(CURRENT) && !fileName.startsWith(".")) {
                pointers.put(fileName.substring(0, fileName.length() - CURRENT.length()), object.key());
            }
        }
        return pointers;
    }

    /** The key of the snapshot a pointer names. */
    private String readPointer(String pointer) {
        String name = call(
                "cannot read " + location.addressOf(pointer),
                // its first KiB alone: a name is short, and a snapshot copied onto a pointer's key is not
                () -> s3.getObjectAsBytes(request ->
                                request.bucket(location.bucket()).key(pointer).range("bytes=0-1023"))
                        .asString(StandardCharsets.UTF_8)
                        .trim());
        if (!isSnapshot(name) || name.contains("/")) {
            throw new SnapshotException(location.addressOf(pointer) + " does not name a snapshot of " + location);
        }
        return location.keyOf(name);
    }

    /** The snapshot a pointer names; a pointer to a missing object is refused, naming both. */
    private StoredSnapshot target(String pointer) {
        String key = readPointer(pointer);
        return head(key, "read")
                .map(head -> handle(key, head.lastModified(), head.contentLength()))
                .orElseThrow(() -> new SnapshotException(
                        location.addressOf(pointer) + " points at missing " + location.addressOf(key)));
    }

    private Optional<HeadObjectResponse> head(String key, String what) {
        return call("cannot " + what + " " + location.addressOf(key), () -> {
            try {
                return Optional.of(s3.headObject(
                        request -> request.bucket(location.bucket()).key(key)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private StoredSnapshot handle(String key, Instant created, long bytes) {
        String fileName = fileName(key);
        Codec codec = Codec.fromFileName(fileName);
        String name =
                fileName.substring(0, fileName.length() - codec.extension().length());
        return new StoredSnapshot(
                key,
                name,
                created,
                bytes,
                null,
                codec == Codec.NONE ? null : codec.argument(),
                location.addressOf(key));
    }

    private String pinMarker(String key) {
        return location.keyOf("." + fileName(key) + PIN);
    }

    private String fileName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private static Instant instantOrEpoch(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH; // metadata another tool set: ordered by key among its second
        }
    }

    private static boolean isSnapshot(String fileName) {
        return !fileName.isEmpty() && !fileName.startsWith(".") && !fileName.endsWith(CURRENT);
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException | UncheckedIOException e) {
            throw S3Failure.of(what, location, e);
        }
    }

    private void call(String what, Runnable request) {
        call(what, () -> {
            request.run();
            return null;
        });
    }

    private static void checkPart(String what, String value) {
        if (value == null || !NAME_PART.matcher(value).matches()) {
            throw new SnapshotException("snapshot " + what + " '" + value
                    + "' must start with a letter or digit and hold only letters, digits, '.', '_', '+' and '-'");
        }
    }
}
