"""Reads a big export (npz and safetensors) a chunk at a time and checks every element.

usage: read_big_export.py FILE LENGTH COUNT INPUTS OUTPUTS     (FILE ends in .npz or .safetensors)
Array arrays.blocks.<k> (k < COUNT) must hold float32((i * 31 + k) % 65521) at index i, shape (LENGTH,).
arrays.weights, stored INPUTS x OUTPUTS, must have shape (OUTPUTS, INPUTS) and hold
float32((i * 131 + o * 7) % 65521) at [o, i]: in the npz as Fortran order (the stored bytes), in
safetensors as the written transpose. The npz
is opened with Python's zipfile (ZIP64 past 4 GiB) and each entry's .npy header read by NumPy;
the safetensors layout is parsed as published. Prints "ok <bytes checked>".
"""
import json
import struct
import sys
import zipfile

import numpy as np

CHUNK = 1 << 22


def expected(k, start, count):
    i = np.arange(start, start + count, dtype=np.int64)
    return ((i * 31 + k) % 65521).astype(np.float32)


def check_stream(read, k, length):
    done = 0
    while done < length:
        count = min(CHUNK, length - done)
        data = read(count * 4)
        assert len(data) == count * 4, (k, done)
        assert np.frombuffer(data, dtype="<f4").tobytes() == expected(k, done, count).tobytes(), (k, done)
        done += count
    return length * 4


def weight_rows(first, count, stride_name):
    """Rows first.. of the weights as stored (i rows of OUTPUTS) or as exported (o rows of INPUTS)."""
    a = np.arange(first, first + count, dtype=np.int64)[:, None]
    if stride_name == "stored":
        b = np.arange(OUTPUTS, dtype=np.int64)[None, :]
        return ((a * 131 + b * 7) % 65521).astype(np.float32)
    b = np.arange(INPUTS, dtype=np.int64)[None, :]
    return ((b * 131 + a * 7) % 65521).astype(np.float32)


def check_weights(read, order):
    """The weights' bytes: stored order (npy's Fortran order) or exported order (safetensors), 256 rows at a time."""
    rows, width = (INPUTS, OUTPUTS) if order == "stored" else (OUTPUTS, INPUTS)
    for first in range(0, rows, 256):
        count = min(256, rows - first)
        data = read(count * width * 4)
        assert data == weight_rows(first, count, order).tobytes(), (order, first)
    return rows * width * 4


def check_npz(path, length):
    checked = 0
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(".npy")]
        assert names == ["arrays.blocks.%d.npy" % k for k in range(COUNT)] + ["arrays.weights.npy"], names
        with z.open("arrays.weights.npy") as f:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = np.lib.format._read_array_header(f, version)
            assert shape == (OUTPUTS, INPUTS) and fortran and dtype == np.dtype("<f4"), (shape, fortran, dtype)
            checked += check_weights(f.read, "stored")
        for k, name in enumerate(names[:-1]):
            with z.open(name) as f:
                version = np.lib.format.read_magic(f)
                shape, fortran, dtype = np.lib.format._read_array_header(f, version)
                assert shape == (length,) and not fortran and dtype == np.dtype("<f4"), (shape, dtype)
                checked += check_stream(f.read, k, length)
    return checked


def check_safetensors(path, length):
    checked = 0
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        header.pop("__metadata__")
        base = 8 + n
        assert sorted(header) == sorted(["arrays.blocks.%d" % k for k in range(COUNT)] + ["arrays.weights"]), \
            sorted(header)
        info = header["arrays.weights"]
        assert info["dtype"] == "F32" and info["shape"] == [OUTPUTS, INPUTS], info
        assert info["data_offsets"] == [COUNT * length * 4, (COUNT * length + INPUTS * OUTPUTS) * 4], info
        f.seek(base + info["data_offsets"][0])
        checked += check_weights(f.read, "exported")
        for k in range(COUNT):
            info = header["arrays.blocks.%d" % k]
            assert info["dtype"] == "F32" and info["shape"] == [length], info
            begin, end = info["data_offsets"]
            assert begin == k * length * 4 and end == begin + length * 4, info
            f.seek(base + begin)
            checked += check_stream(f.read, k, length)
    return checked


if __name__ == "__main__":
    path, length, COUNT, INPUTS, OUTPUTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), \
        int(sys.argv[5])
    print("ok", check_npz(path, length) if path.endswith(".npz") else check_safetensors(path, length))
