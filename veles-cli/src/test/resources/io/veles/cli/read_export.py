"""Reads an export back with readers we did not write, and checks it bit for bit.

usage: read_export.py NPZ NPY_DIR SAFETENSORS EXPECTED_DIR
NumPy reads the npz and the npy files; the safetensors file is parsed by its published layout
(u64 little-endian header length, JSON header of dtype/shape/data_offsets, byte buffer) and its
tensors viewed with NumPy. EXPECTED_DIR holds NAME.raw files (little-endian elements as Java
wrote them from the restored workflow), NAME.shape ("13 8", the shape as stored) and, for a
matrix the unit stores transposed, NAME.transposed: the export must hold NumPy's transpose of the
stored matrix (fully connected weights: stored in x out, exported out x in). Each of the three
exports must equal the expected array. Prints "ok <arrays> <checked>" or fails with an assertion.
"""
import json
import os
import struct
import sys

import numpy as np

SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
                      "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    assert 0 < n <= len(data) - 8, n
    header = json.loads(data[8:8 + n].decode("utf-8"))
    buffer = data[8 + n:]
    metadata = header.pop("__metadata__", {})
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()), "metadata must be str -> str"
    tensors = {}
    ranges = []
    for name, info in header.items():
        assert set(info) == {"dtype", "shape", "data_offsets"}, info
        dtype = np.dtype(SAFETENSORS_DTYPES[info["dtype"]])
        begin, end = info["data_offsets"]
        count = int(np.prod(info["shape"], dtype=np.int64))
        assert end - begin == count * dtype.itemsize, (name, info)
        ranges.append((begin, end))
        tensors[name] = np.frombuffer(buffer[begin:end], dtype=dtype).reshape(info["shape"])
    ranges.sort()
    position = 0
    for begin, end in ranges:  # the buffer is covered without gaps or overlaps, as the layout requires
        assert begin == position, (begin, position)
        position = end
    assert position == len(buffer), (position, len(buffer))
    return tensors, metadata


def same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def main(npz_path, npy_dir, safetensors_path, expected_dir):
    npz = np.load(npz_path)
    arrays = {name: npz[name] for name in npz.files if not name.endswith(".json")}
    manifest = json.loads(npz["__metadata__.json"])["manifest"]  # not an .npy entry: NumPy gives its bytes
    assert manifest["workflowClass"], manifest

    for name in os.listdir(npy_dir):
        if name.endswith(".npy"):
            array = np.load(os.path.join(npy_dir, name))
            assert same_bits(array, arrays[name[:-4]]), name
    with open(os.path.join(npy_dir, "__metadata__.json")) as f:
        assert json.load(f)["manifest"] == manifest

    tensors, metadata = read_safetensors(safetensors_path)
    assert set(tensors) == set(arrays), (sorted(tensors), sorted(arrays))
    for name, tensor in tensors.items():
        assert same_bits(tensor, arrays[name]), name
    assert json.loads(metadata["veles.manifest"]) == manifest

    npy = {name[:-4]: np.load(os.path.join(npy_dir, name)) for name in os.listdir(npy_dir) if name.endswith(".npy")}
    checked = 0
    for name in os.listdir(expected_dir):
        if name.endswith(".raw"):
            field = name[:-4]
            with open(os.path.join(expected_dir, field + ".shape")) as f:
                shape = tuple(int(d) for d in f.read().split())
            expected = np.fromfile(os.path.join(expected_dir, name), dtype=arrays[field].dtype).reshape(shape)
            if os.path.exists(os.path.join(expected_dir, field + ".transposed")):
                expected = expected.T
                # npy says fortran_order: the stored bytes as they are, no copy made
                assert arrays[field].flags.f_contiguous and npy[field].flags.f_contiguous, field
            for source, exported in (("npz", arrays), ("npy", npy), ("safetensors", tensors)):
                array = exported[field]
                assert array.shape == expected.shape, (source, field, array.shape, expected.shape)
                assert same_bits(array, expected), (source, field)
            checked += 1
    assert checked > 0
    print("ok", len(arrays), checked)


if __name__ == "__main__":
    main(*sys.argv[1:])
