"""pandas' hash of text cells, computed from pyarrow's buffers without a Python
string per cell.

A row's content id (:func:`alearn.data.rowkeys.content_ids`) is built from
``pandas.util.hash_array`` of each cell: SipHash-2-4 of the cell's UTF-8 bytes
with pandas' key, then a final mix. pandas computes it one Python string at a
time, so a 1M x 20 file first becomes 20 million ``str`` objects (about four
seconds). The same numbers come out of numpy here, vectorized over the cells
of equal block count, read straight from the column's Arrow buffers (UTF-8
already). Cells longer than :data:`VECTOR_BYTES` (free text) go to pandas: few
share a block count, so vectors would not pay. ``tests/data/test_cellhash.py``
checks the numbers against pandas' own.
"""

from __future__ import annotations

import numpy as np

# pandas' default hash key ("0123456789123456") as SipHash's two 64-bit halves.
_KEY = np.frombuffer(b"0123456789123456", dtype="<u8")
_INIT = (np.uint64(0x736F6D6570736575) ^ _KEY[0], np.uint64(0x646F72616E646F6D) ^ _KEY[1],
         np.uint64(0x6C7967656E657261) ^ _KEY[0], np.uint64(0x7465646279746573) ^ _KEY[1])
VECTOR_BYTES = 63  # longer cells are hashed by pandas (at most 8 blocks here)
CHUNK = 1 << 16  # cells per vector step: the working arrays stay in cache
SLICE = 1 << 18  # cells hashed from one copy of their bytes


def _rotl(x: np.ndarray, bits: int, tmp: np.ndarray) -> None:
    """Rotate each 64-bit value in ``x`` left by ``bits``, in place."""
    np.right_shift(x, np.uint64(64 - bits), out=tmp)
    np.left_shift(x, np.uint64(bits), out=x)
    np.bitwise_or(x, tmp, out=x)


def _rounds(v: list[np.ndarray], count: int, tmp: np.ndarray) -> None:
    """``count`` SipRounds on the state ``v`` (four arrays), in place."""
    v0, v1, v2, v3 = v
    for _ in range(count):
        np.add(v0, v1, out=v0)
        _rotl(v1, 13, tmp)
        np.bitwise_xor(v1, v0, out=v1)
        _rotl(v0, 32, tmp)
        np.add(v2, v3, out=v2)
        _rotl(v3, 16, tmp)
        np.bitwise_xor(v3, v2, out=v3)
        np.add(v0, v3, out=v0)
        _rotl(v3, 21, tmp)
        np.bitwise_xor(v3, v0, out=v3)
        np.add(v2, v1, out=v2)
        _rotl(v1, 17, tmp)
        np.bitwise_xor(v1, v2, out=v1)
        _rotl(v2, 32, tmp)


def _siphash(words: np.ndarray) -> np.ndarray:
    """SipHash-2-4 of messages already cut into little-endian 64-bit words, the
    last one carrying the length byte (shape: cells x blocks)."""
    n = words.shape[0]
    v = [np.full(n, init, dtype=np.uint64) for init in _INIT]
    tmp = np.empty(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(words.shape[1]):
            m = words[:, j]
            np.bitwise_xor(v[3], m, out=v[3])
            _rounds(v, 2, tmp)
            np.bitwise_xor(v[0], m, out=v[0])
        np.bitwise_xor(v[2], np.uint64(0xFF), out=v[2])
        _rounds(v, 4, tmp)
    return v[0] ^ v[1] ^ v[2] ^ v[3]


def _mix(vals: np.ndarray) -> np.ndarray:
    """pandas' redistribution of the 64-bit hashes (``_hash_ndarray``'s last step)."""
    with np.errstate(over="ignore"):
        vals ^= vals >> np.uint64(30)
        vals *= np.uint64(0xBF58476D1CE4E5B9)
        vals ^= vals >> np.uint64(27)
        vals *= np.uint64(0x94D049BB133111EB)
        vals ^= vals >> np.uint64(31)
    return vals


def _chunk_hashes(chunk: object) -> np.ndarray:
    """pandas' hash of each cell of one Arrow string chunk (nulls get a number to
    be replaced)."""
    import pandas as pd
    import pyarrow as pa

    n = len(chunk)
    _, offset_buf, data_buf = chunk.buffers()[:3]
    wide = pa.types.is_large_string(chunk.type) or pa.types.is_large_binary(chunk.type)
    offsets = np.frombuffer(offset_buf, dtype=np.int64 if wide else np.int32)
    offsets = offsets[chunk.offset: chunk.offset + n + 1].astype(np.int64)
    data = (np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None and n
            else np.zeros(0, dtype=np.uint8))
    lengths = np.diff(offsets)
    out = np.zeros(n, dtype=np.uint64)
    long = lengths > VECTOR_BYTES
    lo, hi = int(offsets[0]), int(offsets[-1])
    # The chunk's bytes (8 zero bytes after them) seen as a 64-bit word starting at
    # every byte: the word at byte p is words[p], read in place (no copies per shift).
    padded = np.zeros(hi - lo + 8, dtype=np.uint8)
    padded[:hi - lo] = data[lo:hi]
    words = np.ndarray((hi - lo + 1,), dtype="<u8", buffer=padded, strides=(1,))
    rel = offsets[:-1] - lo
    blocks = np.where(long, 0, lengths // 8 + 1)
    for at in range(0, n, CHUNK):
        stop = min(at + CHUNK, n)
        here = blocks[at:stop]
        for count in np.flatnonzero(np.bincount(here)[1:]) + 1:
            cells = np.flatnonzero(here == count) + at
            first, size_of = rel[cells], lengths[cells].astype(np.uint64)
            message = np.empty((len(cells), int(count)), dtype=np.uint64)
            for j in range(int(count)):
                message[:, j] = words[first + 8 * j]
            # The last block: the bytes left (the rest zero), the length (mod 256) on top.
            keep = np.left_shift(np.uint64(1), (size_of & np.uint64(7)) * np.uint64(8))
            with np.errstate(over="ignore"):
                keep -= np.uint64(1)
            message[:, -1] &= keep
            message[:, -1] |= (size_of & np.uint64(0xFF)) << np.uint64(56)
            out[cells] = _siphash(message)
    out = _mix(out)
    if long.any():
        where = np.flatnonzero(long)
        texts = np.asarray(chunk.take(pa.array(where)).to_pylist(), dtype=object)
        texts[pd.isna(texts)] = ""
        out[where] = pd.util.hash_array(texts, categorize=False)
    return out


def hash_text_column(column: object) -> tuple[np.ndarray, np.ndarray]:
    """``pandas.util.hash_array(values, categorize=False)`` of a text column held by
    pyarrow, and where its cells are missing (the caller gives those its own number).

    Parameters
    ----------
    column : pyarrow.ChunkedArray or pyarrow.Array
        Strings (``string`` or ``large_string``).

    Returns
    -------
    (ndarray of uint64, ndarray of bool)
        The hashes (a missing cell's number is meaningless), and which cells are missing.
    """
    import pyarrow as pa

    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    # A long chunk (a Parquet column is one) in slices: its working arrays stay small.
    parts = [_chunk_hashes(chunk.slice(at, SLICE)) for chunk in chunks
             for at in range(0, len(chunk), SLICE)]
    hashes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)
    missing = (column.is_null().to_numpy(zero_copy_only=False) if len(column)
               else np.zeros(0, dtype=bool))
    missing = np.asarray(missing, dtype=bool)
    return hashes, missing
