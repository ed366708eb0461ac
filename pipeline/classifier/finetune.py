"""Full fine-tuning of the MiniLM encoder, for the head-to-head comparison with the frozen-encoder head.

Issue 6 asks which is better for this task, by measured F1 and cost. The shipped
model is the frozen encoder's head (small enough to commit, and the encoder
package is shared); this module trains the alternative the same way the
literature does (mean pooling + a linear layer, AdamW, linear warm-up/decay,
cross-entropy with balanced class weights) so ``news-events train
--compare-fine-tuning`` can score both on one held-out split of the dev data.
Nothing here is used at run time.
"""

from __future__ import annotations

import logging
import math
import random
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FineTuneConfig:
    epochs: int = 4
    batch_size: int = 16
    lr: float = 5e-5  # encoder weights
    head_lr: float = 1e-3  # the new linear layer starts from random weights: a larger step
    warmup: float = 0.1  # share of the steps with a rising learning rate
    max_tokens: int = 128
    seed: int = 0


class FineTuned:
    """The fine-tuned encoder with its linear layer; ``predict_proba`` over ``labels``."""

    # logits = TEMPERATURE * linear(unit-length embedding): a scale so the softmax can be sharp from the start
    TEMPERATURE = 20.0

    def __init__(self, tokenizer, encoder, linear, labels: list[str], max_tokens: int) -> None:
        self.tokenizer, self.encoder, self.linear = tokenizer, encoder, linear
        self.labels, self.max_tokens = labels, max_tokens

    def _logits(self, texts: list[str]):
        import torch

        from .encoder import mean_pool

        enc = self.tokenizer(texts, padding=True, truncation=True, max_length=self.max_tokens, return_tensors="pt")
        pooled = mean_pool(torch, self.encoder(**enc).last_hidden_state, enc["attention_mask"])
        return self.TEMPERATURE * self.linear(pooled)

    def predict_proba(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        import torch

        self.encoder.eval()
        out = []
        with torch.inference_mode():
            for b in range(0, len(texts), batch_size):
                out.append(torch.softmax(self._logits(texts[b:b + batch_size]), dim=1).numpy())
        return np.vstack(out) if out else np.zeros((0, len(self.labels)), dtype=np.float32)


def fine_tune(texts: list[str], y: list[str], cfg: FineTuneConfig = FineTuneConfig()) -> FineTuned:
    """Fine-tune all encoder weights plus a linear layer; deterministic for a seed on one machine."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from .encoder import model_dir

    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    path = model_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    encoder = AutoModel.from_pretrained(str(path), local_files_only=True)
    labels = sorted(set(y))
    index = {lab: i for i, lab in enumerate(labels)}
    linear = torch.nn.Linear(encoder.config.hidden_size, len(labels))
    model = FineTuned(tokenizer, encoder, linear, labels, cfg.max_tokens)
    counts = np.bincount([index[lab] for lab in y], minlength=len(labels))
    weight = torch.tensor(len(y) / (len(labels) * np.maximum(counts, 1)), dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
    params = list(encoder.parameters()) + list(linear.parameters())
    opt = torch.optim.AdamW([{"params": list(encoder.parameters()), "lr": cfg.lr},
                             {"params": list(linear.parameters()), "lr": cfg.head_lr}], weight_decay=0.01)
    steps = cfg.epochs * math.ceil(len(texts) / cfg.batch_size)
    warm = max(1, int(cfg.warmup * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    order = list(range(len(texts)))
    target = torch.tensor([index[lab] for lab in y])
    for epoch in range(cfg.epochs):
        random.shuffle(order)
        encoder.train()
        total = 0.0
        for b in range(0, len(order), cfg.batch_size):
            idx = order[b:b + cfg.batch_size]
            logits = model._logits([texts[i] for i in idx])
            loss = loss_fn(logits, target[idx])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        log.info("fine-tuning epoch %d/%d: loss %.4f", epoch + 1, cfg.epochs, total / len(texts))
    return model
