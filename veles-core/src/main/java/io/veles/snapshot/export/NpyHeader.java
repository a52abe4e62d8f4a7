package io.veles.snapshot.export;

import java.nio.charset.StandardCharsets;

/**
 * The header of an {@code .npy} file (NumPy's format 1.0, or 2.0 when the header dictionary is
 * longer than 65535 bytes): magic, version, header length, and the dictionary padded with spaces
 * so that the data starts on a 64-byte boundary.
 */
final class NpyHeader {
    private static final int ALIGNMENT = 64;

    private NpyHeader() {}

    static byte[] of(Dtype dtype, long[] shape) {
        return of(dtype, shape, false);
    }

    /** The header for {@code array}: Fortran order when it has column-major bytes, which cost no transpose. */
    static byte[] of(ExportedArray array) {
        return of(array.dtype(), array.shape(), array.columnMajor() != null);
    }

    /** The bytes that follow {@link #of(ExportedArray)}'s header. */
    static ExportedArray.Bytes data(ExportedArray array) {
        return array.columnMajor() != null ? array.columnMajor() : array.bytes();
    }

    /** With {@code fortranOrder}, the bytes are read column-major (the transpose of a row-major array). */
    static byte[] of(Dtype dtype, long[] shape, boolean fortranOrder) {
        StringBuilder dict = new StringBuilder("{'descr': '")
                .append(dtype.numpy())
                .append("', 'fortran_order': ")
                .append(fortranOrder ? "True" : "False")
                .append(", 'shape': (");
        for (long dimension : shape) {
            dict.append(dimension).append(shape.length == 1 ? "," : ", ");
        }
        if (shape.length > 1) {
            dict.setLength(dict.length() - 2);
        }
        dict.append("), }");
        byte[] text = dict.toString().getBytes(StandardCharsets.US_ASCII);
        boolean version2 = text.length + 1 + 10 > 65535;
        int prefix = version2 ? 12 : 10;
        int total = (prefix + text.length + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] header = new byte[total];
        header[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, header, 1, 5);
        header[6] = (byte) (version2 ? 2 : 1);
        header[7] = 0;
        int length = total - prefix;
        header[8] = (byte) length;
        header[9] = (byte) (length >>> 8);
        if (version2) {
            header[10] = (byte) (length >>> 16);
            header[11] = (byte) (length >>> 24);
        }
        System.arraycopy(text, 0, header, prefix, text.length);
        for (int i = prefix + text.length; i < total - 1; i++) {
            header[i] = ' ';
        }
        header[total - 1] = '\n';
        return header;
    }
}
