package io.veles.bench.serialization;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One library in one configuration, behind the two ways a snapshot is taken: into a reused
 * in-memory buffer (small graphs, compressed afterwards) and as a stream (big arrays, which must
 * not be held twice).
 */
interface Codec {
    /** Names accepted by {@link #named}; the benchmarks' @Param lists use these. */
    String JDK = "jdk";

    String KRYO = "kryo";
    String KRYO_REGISTERED = "kryo-registered";
    String KRYO_FLAT = "kryo-flat";
    String KRYO_TUNED = "kryo-tuned";
    String KRYO_HAND_WRITTEN = "kryo-hand";
    String KRYO_BULK = "kryo-bulk";
    String KRYO_UNSAFE = "kryo-unsafe";
    String FORY = "fory";
    String FORY_FLAT = "fory-flat";
    String FORY_OOB = "fory-oob";

    /** Serializes root into this codec's reused buffer; returns the byte count. */
    int write(Object root);

    /** The reused buffer; valid up to the count the last {@link #write(Object)} returned. */
    byte[] bytes();

    Object read(byte[] bytes, int length);

    void write(Object root, OutputStream out) throws IOException;

    Object read(InputStream in) throws IOException;

    static Codec named(String name) {
        switch (name) {
            case JDK:
                return new JdkCodec();
            case KRYO:
                return new KryoCodec(KryoCodec.Variant.STOCK);
            case KRYO_REGISTERED:
                return new KryoCodec(KryoCodec.Variant.REGISTERED);
            case KRYO_FLAT:
                return new KryoCodec(KryoCodec.Variant.FLAT);
            case KRYO_TUNED:
                return new KryoCodec(KryoCodec.Variant.TUNED);
            case KRYO_HAND_WRITTEN:
                return new KryoCodec(KryoCodec.Variant.HAND_WRITTEN);
            case KRYO_BULK:
                return new KryoCodec(KryoCodec.Variant.BULK_FLOATS);
            case KRYO_UNSAFE:
                return new KryoCodec(KryoCodec.Variant.UNSAFE);
            case FORY:
                return new ForyCodec(false, false);
            case FORY_FLAT:
                return new ForyCodec(true, false);
            case FORY_OOB:
                return new ForyCodec(false, true);
            default:
                throw new IllegalArgumentException("unknown codec " + name);
        }
    }

    /**
     * The read-side allowlist every library is held to: class names come from the file, so only
     * our model and the JDK types it uses may be instantiated.
     */
    static boolean allowed(String className) {
        if (className.startsWith("[")) {
            // An array is as safe as its element type: "[F", "[[I", "[Ljava.lang.Object;".
            int dims = 0;
            while (className.charAt(dims) == '[') {
                dims++;
            }
            String element = className.substring(dims);
            return element.length() == 1
                    || element.startsWith("L")
                            && element.endsWith(";")
                            && allowed(element.substring(1, element.length() - 1));
        }
        return className.startsWith("io.veles.bench.serialization.")
                || className.startsWith("java.lang.")
                || className.startsWith("java.util.");
    }
}
