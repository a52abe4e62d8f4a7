package io.veles.snapshot.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code .safetensors} file as published by Hugging Face: the header's length (u64,
 * little-endian), the header (JSON: each tensor's dtype, shape and byte range in the buffer, and
 * {@code __metadata__} of strings), padded with spaces to 8 bytes, then the tensors' bytes, in
 * order, without gaps.
 */
final class SafetensorsWriter implements ArchiveWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void write(List<ExportedArray> arrays, ExportMetadata metadata, Path target) throws IOException {
        byte[] header = header(arrays, metadata);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
            out.write(ByteBuffer.allocate(8)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(header.length)
                    .array());
            out.write(header);
            for (ExportedArray array : arrays) {
                array.bytes().writeTo(out);
            }
        }
    }

    static byte[] header(List<ExportedArray> arrays, ExportMetadata metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode strings = root.putObject("__metadata__");
        metadata.asStrings().forEach(strings::put);
        long offset = 0;
        for (ExportedArray array : arrays) {
            ObjectNode tensor = root.putObject(array.name());
            tensor.put("dtype", array.dtype().safetensors());
            ArrayNode shape = tensor.putArray("shape");
            for (long dimension : array.shape()) {
                shape.add(dimension);
            }
            tensor.putArray("data_offsets").add(offset).add(offset + array.byteLength());
            offset += array.byteLength();
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(json.length + 7) / 8 * 8]; // the buffer starts 8-byte aligned
        System.arraycopy(json, 0, padded, 0, json.length);
        java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }
}
