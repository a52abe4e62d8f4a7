"""Writes pickles shaped like VELES (Python) snapshots, and hostile ones, for the import-veles tests.

usage: make_veles_pickles.py OUTDIR MARKER
Classes carry VELES's module names (veles.znicz.all2all.All2AllTanh, veles.memory.Array...), defined
here as stubs. For each protocol 2-4 and each codec VELES wrote (none, gz, bz2, xz, and snappy when
python3-snappy imports) it writes wine_p<P>.pickle[.<codec>], and expected.npz with every array under
the name import-veles should give it, little-endian and row-major. The hostile pickles would run
`touch MARKER` if unpickled by Python (never done here), or declare lengths they do not hold.
Prints the files written, one a line.
"""
import bz2
import gzip
import lzma
import os
import pickle
import struct
import sys
import types

import numpy as np


def module(name):
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        sys.modules.setdefault(".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    return sys.modules[name]


def veles_class(module_name, name, base=object):
    cls = type(name, (base,), {})
    cls.__module__ = module_name
    cls.__qualname__ = name
    setattr(module(module_name), name, cls)
    return cls


class _Array(object):
    """veles.memory.Array: VELES pickles the NumPy array as _mem."""

    def __init__(self, mem):
        self._mem = mem
        self.max_supposed = 1.0

    def __getstate__(self):
        return {"_mem": self._mem, "max_supposed": self.max_supposed}


_Array.__module__ = "veles.memory"
_Array.__name__ = _Array.__qualname__ = "Array"
module("veles.memory").Array = _Array
Array = _Array

Unit = veles_class("veles.units", "Unit")
All2AllTanh = veles_class("veles.znicz.all2all", "All2AllTanh", Unit)
All2AllSoftmax = veles_class("veles.znicz.all2all", "All2AllSoftmax", Unit)
FullBatchLoader = veles_class("veles.loader.fullbatch", "FullBatchLoader", Unit)
StandardWorkflow = veles_class("veles.znicz.standard_workflow", "StandardWorkflow", Unit)


def layer(cls, name, inputs, outputs, rng, dtype):
    unit = cls()
    unit.name = name
    unit.weights = Array(rng.standard_normal((outputs, inputs)).astype(dtype))
    unit.bias = Array(rng.standard_normal(outputs).astype(dtype))
    unit.output = Array(np.zeros((10, outputs), dtype=dtype))
    unit.learning_rate = np.float32(0.01)  # a NumPy scalar, pickled through numpy.core.multiarray.scalar
    unit.include_bias = True
    unit.weights_transposed = False
    return unit


def workflow():
    rng = np.random.RandomState(7)
    loader = FullBatchLoader()
    loader.name = "loader"
    loader.original_labels = Array(rng.randint(0, 3, 178).astype(np.int32))
    loader.minibatch_data = Array(rng.standard_normal((10, 13)).astype(">f4"))  # big-endian
    loader.original_data = Array(np.asfortranarray(rng.standard_normal((3, 4, 5))))  # column-major
    loader.mask = Array(rng.randint(0, 2, 16).astype(np.bool_))
    loader.pixels = Array(rng.randint(0, 256, (2, 3)).astype(np.uint8))
    loader.class_lengths = [0, 30, 148]
    fc1 = layer(All2AllTanh, "fc1", 13, 8, rng, np.float32)
    fc2 = layer(All2AllSoftmax, "fc2", 8, 3, rng, np.float64)
    fc1.input = loader.minibatch_data  # linked, as VELES links attributes: named by its first unit
    fc2.input = fc1.output
    wf = StandardWorkflow()
    wf.name = "wine"
    wf._units = [loader, fc1, fc2]
    wf.loader = loader  # as VELES's StandardWorkflow holds its units: still loader.*, not wine.loader.*
    wf.forwards = [fc1, fc2]
    wf.prng = np.random.RandomState(1234)  # numpy.random's own pickling (a REDUCE of numpy.random)
    wf.epoch = 3
    for unit in (loader, fc1, fc2):  # VELES's cycles: units know their workflow and key dicts by unit
        unit.workflow = wf
    fc1.links_from = {loader: True}
    fc2.links_from = {fc1: True}
    loader.links_to = {fc1: True}
    fc1.links_to = {fc2: True}
    wf.gates = {frozenset([fc1, fc2]): "gate"}
    expected = {}
    for unit in (loader, fc1, fc2):
        for attribute, value in vars(unit).items():
            if isinstance(value, Array):
                expected.setdefault(id(value._mem), (unit.name + "." + attribute, value._mem))
    arrays = {name: np.ascontiguousarray(mem.astype(mem.dtype.newbyteorder("<"))) for name, mem in expected.values()}
    return wf, arrays


class Evil(object):
    def __reduce__(self):
        return (os.system, ("touch " + sys.argv[2],))


class SharedBytes(object):
    """Pickles as an ndarray whose state tuple, and so its bytes, every other one shares (memoized)."""

    def __init__(self, state):
        self.state = state

    def __reduce__(self):
        reconstruct = np.zeros(0).__reduce__()[0]  # numpy.core's or numpy._core's, as this NumPy pickles
        return (reconstruct, (np.ndarray, (0,), b"b"), self.state)


def shared_bytes():
    """1000 arrays of one 1 MiB bytes object: a 1 MiB pickle that would write 1 GiB."""
    state = (1, (1 << 20,), np.dtype(np.uint8), False, bytes(1 << 20))
    wf = StandardWorkflow()
    wf.name = "shared"
    wf.arrays = [SharedBytes(state) for _ in range(1000)]
    return wf


def same_names(count):
    """count units all named "u", each with its weights: u.weights, u.weights#2, ..."""
    wf = StandardWorkflow()
    wf.name = "wf"
    wf._units = []
    for _ in range(count):
        unit = All2AllTanh()
        unit.name = "u"
        unit.weights = Array(np.zeros(1, dtype=np.float32))
        wf._units.append(unit)
    return wf


def unsafe_names():
    """Attribute and dict-key names that would climb out of a zip entry or hold control characters."""
    unit = All2AllTanh()
    unit.name = "fc1"
    setattr(unit, "x/../../../tmp/evil", Array(np.zeros(2, dtype=np.float32)))
    unit.table = {"a\\..\\b\n": np.ones(3, dtype=np.float32)}
    return unit


def shared_scalar():
    """60 units whose one attribute is the same 4 MiB string: 240 MiB of metadata from a small file."""
    text = "N" * (4 << 20)
    wf = StandardWorkflow()
    wf.name = "wf"
    wf._units = []
    for i in range(60):
        unit = All2AllTanh()
        unit.name = "u%d" % i
        unit.note = text
        unit.weights = Array(np.zeros(1, dtype=np.float32))
        wf._units.append(unit)
    return wf


def shape_bomb():
    """40 empty arrays sharing one shape tuple of a million dimensions (NumPy reads at most 64)."""
    state = (1, (0,) + (1,) * 1000000, np.dtype(np.float32), False, b"")
    unit = All2AllTanh()
    unit.name = "u"
    unit.arrays = [SharedBytes(state) for _ in range(40)]
    unit.weights = Array(np.zeros(2, dtype=np.float32))
    return unit


def surrogate_names():
    """
    Units named with unpaired surrogates, as the text opcode UNICODE spells them (BINUNICODE's UTF-8
    cannot hold one): they have no UTF-8 of their own, so they must not become one name.
    """
    units = []
    for name in ("ZZZZ", "YYYY", "sur?x"):
        unit = All2AllTanh()
        unit.name = name
        unit.weights = Array(np.zeros(1, dtype=np.float32))
        units.append(unit)
    data = pickle.dumps(units, protocol=2)
    return (data.replace(b"X\x04\x00\x00\x00ZZZZ", b"Vsur\\ud800x\n")
            .replace(b"X\x04\x00\x00\x00YYYY", b"Vsur\\udc00x\n"))


def write(path, data, codec):
    if codec == "gz":
        with gzip.open(path, "wb") as f:
            f.write(data)
    elif codec == "bz2":
        with bz2.open(path, "wb") as f:
            f.write(data)
    elif codec == "xz":
        with lzma.open(path, "wb", format=lzma.FORMAT_XZ) as f:
            f.write(data)
    elif codec == "snappy":
        import io
        import snappy.snappy
        with open(path, "wb") as f:
            snappy.snappy.stream_compress(io.BytesIO(data), f)
    else:
        with open(path, "wb") as f:
            f.write(data)
    print(path)


def main(out):
    wf, arrays = workflow()
    np.savez(os.path.join(out, "expected.npz"), **arrays)
    codecs = ["", "gz", "bz2", "xz"]
    try:
        # Debian's python3-snappy; its CRC helper is broken on Python 3.11, python3-crc32c stands in
        import crc32c
        import snappy.snappy
        snappy.snappy._crc32c = crc32c.crc32c
        codecs.append("snappy")
    except ImportError:
        pass
    for protocol in (2, 3, 4):
        data = pickle.dumps(wf, protocol=protocol)
        for codec in codecs:
            write(os.path.join(out, "wine_p%d.pickle%s" % (protocol, "." + codec if codec else "")), data, codec)
    evil = StandardWorkflow()
    evil.name = "evil"
    evil._units = [Evil()]
    write(os.path.join(out, "evil.pickle"), pickle.dumps(evil, protocol=2), "")
    write(os.path.join(out, "evil.pickle.gz"), pickle.dumps(Evil(), protocol=4), "gz")
    # BINBYTES8 declaring 2**60 bytes; BINUNICODE declaring 4 GiB - 16; BINBYTES declaring 100 MB of 4
    write(os.path.join(out, "huge8.pickle"), b"\x80\x04\x8e" + struct.pack("<Q", 1 << 60) + b"abcd.", "")
    write(os.path.join(out, "huge4.pickle"), b"\x80\x03X" + struct.pack("<I", 0xFFFFFFF0) + b"abcd.", "")
    write(os.path.join(out, "short.pickle"), b"\x80\x03B" + struct.pack("<I", 100000000) + b"abcd.", "")
    write(os.path.join(out, "shared_bytes.pickle"), pickle.dumps(shared_bytes(), protocol=4), "")
    write(os.path.join(out, "same_names.pickle"), pickle.dumps(same_names(40000), protocol=4), "")
    write(os.path.join(out, "unsafe_names.pickle"), pickle.dumps(unsafe_names(), protocol=2), "")
    write(os.path.join(out, "bare_array.pickle"), pickle.dumps(np.arange(3, dtype=np.int16), protocol=4), "")
    write(os.path.join(out, "shared_scalar.pickle.gz"), pickle.dumps(shared_scalar(), protocol=2), "gz")
    write(os.path.join(out, "shape_bomb.pickle.gz"), pickle.dumps(shape_bomb(), protocol=2), "gz")
    write(os.path.join(out, "surrogate_names.pickle"), surrogate_names(), "")
    # GLOBAL naming a module of 20 MB (in a file of kilobytes once compressed)
    write(os.path.join(out, "long_global.pickle.gz"), b"\x80\x02c" + b"m" * 20000000 + b"\nx\n.", "gz")
    # _codecs.encode("x", "bogus"): bytes in an encoding Java does not have
    write(os.path.join(out, "bogus_codec.pickle"),
          b"\x80\x02c_codecs\nencode\nX\x01\x00\x00\x00xX\x05\x00\x00\x00bogus\x86R.", "")


if __name__ == "__main__":
    main(sys.argv[1])
