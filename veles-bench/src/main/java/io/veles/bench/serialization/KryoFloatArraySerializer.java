package io.veles.bench.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * float[] in bulk. Kryo's own serializer stores floats one at a time once an array is bigger than
 * the Output's buffer; this one copies whole runs through a little-endian view of that buffer, so
 * it works with any Output or Input (stream-backed or not) and keeps Kryo's byte order.
 */
final class KryoFloatArraySerializer extends Serializer<float[]> {
    @Override
    public void write(Kryo kryo, Output output, float[] array) {
        output.writeVarInt(array.length, true);
        int i = 0;
        while (i < array.length) {
            int room = (output.getBuffer().length - output.position()) >>> 2;
            if (room == 0) {
                // Let Output make room its own way: flush to its stream, or grow its array.
                output.writeFloat(array[i++]);
                continue;
            }
            int n = Math.min(room, array.length - i);
            ByteBuffer.wrap(output.getBuffer(), output.position(), n << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .put(array, i, n);
            output.setPosition(output.position() + (n << 2));
            i += n;
        }
    }

    @Override
    public float[] read(Kryo kryo, Input input, Class<? extends float[]> type) {
        float[] array = new float[input.readVarInt(true)];
        int i = 0;
        while (i < array.length) {
            int available = (input.limit() - input.position()) >>> 2;
            if (available == 0) {
                // Fewer than 4 bytes buffered: a single read makes Input refill from its stream.
                array[i++] = input.readFloat();
                continue;
            }
            int n = Math.min(available, array.length - i);
            ByteBuffer.wrap(input.getBuffer(), input.position(), n << 2)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(array, i, n);
            input.setPosition(input.position() + (n << 2));
            i += n;
        }
        return array;
    }
}
