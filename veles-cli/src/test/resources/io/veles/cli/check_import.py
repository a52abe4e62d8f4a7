"""Checks what import-veles wrote against expected.npz, bit for bit.

usage: check_import.py EXPECTED.npz OUTPUT(.npz|.safetensors)...
NumPy reads an npz; a safetensors file is parsed by its published layout. Every expected array must
be there under its name, with its dtype and shape, and no other array but the workflow's
random generator state (wine.prng.*). Prints "ok <files>".
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1",
          "U64": "<u8", "U32": "<u4", "U16": "<u2", "U8": "u1", "BOOL": "?"}


def safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__")
    assert all(isinstance(v, str) for v in metadata.values())
    buffer = data[8 + n:]
    return {name: np.frombuffer(buffer[i["data_offsets"][0]:i["data_offsets"][1]], dtype=DTYPES[i["dtype"]])
            .reshape(i["shape"]) for name, i in header.items()}


def check(expected, output):
    if output.endswith(".npz"):
        z = np.load(output)
        actual = {name: z[name] for name in z.files if not name.endswith(".json")}
    else:
        actual = safetensors(output)
    imported = {name: array for name, array in actual.items() if not name.startswith("wine.prng")}
    assert sorted(imported) == sorted(expected), (sorted(imported), sorted(expected))
    for name, want in expected.items():
        got = imported[name]
        assert got.dtype == want.dtype and got.shape == want.shape, (name, got.dtype, got.shape, want.dtype, want.shape)
        assert got.tobytes() == want.tobytes(), name
    assert actual["wine.prng.state.key"].dtype == np.dtype("<u4") and actual["wine.prng.state.key"].shape == (624,)


if __name__ == "__main__":
    want = dict(np.load(sys.argv[1]))
    for path in sys.argv[2:]:
        check(want, path)
    print("ok", len(sys.argv) - 2)
