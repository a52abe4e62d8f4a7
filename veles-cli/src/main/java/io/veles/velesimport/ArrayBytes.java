package io.veles.velesimport;

/**
 * A pickled array's bytes as export writes them: little-endian, row-major (C order). NumPy
 * pickles an array in its own byte order, and a Fortran-ordered one column-major.
 */
final class ArrayBytes {
    private ArrayBytes() {}

    static byte[] littleEndianRowMajor(NumpyArray array, int width) {
        byte[] bytes = array.bytes();
        if (array.dtype.bigEndian() && width > 1) {
            bytes = swapped(bytes, width);
        }
        if (array.fortranOrder && array.shape.length > 1) {
            bytes = rowMajor(bytes, array.shape, width);
        }
        return bytes;
    }

    private static byte[] swapped(byte[] bytes, int width) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i += width) {
            for (int b = 0; b < width; b++) {
                out[i + b] = bytes[i + width - 1 - b];
            }
        }
        return out;
    }

    /** Column-major bytes of {@code shape} to row-major: element (i0..in) is at sum(ik * prod(d0..dk-1)) there. */
    private static byte[] rowMajor(byte[] bytes, long[] shape, int width) {
        int n = shape.length;
        long[] columnStride = new long[n];
        long stride = 1;
        for (int k = 0; k < n; k++) {
            columnStride[k] = stride;
            stride *= shape[k];
        }
        byte[] out = new byte[bytes.length];
        long[] index = new long[n];
        long from = 0;
        for (int to = 0; to < out.length; to += width) {
            System.arraycopy(bytes, (int) (from * width), out, to, width);
            for (int k = n - 1; k >= 0; k--) { // the last index moves fastest in row-major order
                index[k]++;
                from += columnStride[k];
                if (index[k] < shape[k]) {
                    break;
                }
                from -= columnStride[k] * index[k];
                index[k] = 0;
            }
        }
        return out;
    }
}
