#!/usr/bin/env python3
"""Make the fp16 test fixture: a tiny zoo export converted to float16 the way fp16 exports are made.

  /tmp/ortpy/bin/python scripts/zoo/fp16.py

Writes packages/runtime/test/fixtures/fp16/hf-wav2vec2-base/ (model.onnx plus the files beside
the float model): onnxruntime's own converter (onnxruntime.transformers.float16, as
`optimum-cli export onnx --dtype fp16` and the transformers optimizer use it) with
keep_io_types=False, so the input `input_values` and the output `logits` are float16 too. Ops the
converter keeps in float32 get Cast nodes around them. Checked here: onnx.checker passes and the
fp16 model's log-softmaxed logits on a test signal are within 0.05 of the float model's.
"""
import os
import shutil

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.transformers.float16 import convert_float_to_float16

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SOURCE = os.path.join(ROOT, "packages", "fixtures", "zoo", "hf-wav2vec2-base")
OUT = os.path.join(ROOT, "packages", "runtime", "test", "fixtures", "fp16", "hf-wav2vec2-base")


def log_softmax(x):
    x = x.astype(np.float64)
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


def main():
    os.makedirs(OUT, exist_ok=True)
    model = convert_float_to_float16(onnx.load(os.path.join(SOURCE, "model.onnx")), keep_io_types=False)
    path = os.path.join(OUT, "model.onnx")
    onnx.save(model, path)
    onnx.checker.check_model(onnx.load(path))
    for name in ("preprocessor_config.json", "vocab.json", "config.json"):
        shutil.copyfile(os.path.join(SOURCE, name), os.path.join(OUT, name))
    t = np.arange(16000) / 16000
    signal = (0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * np.sin(2 * np.pi * 1760 * t)).astype(np.float32)[None]
    signal = (signal - signal.mean()) / np.sqrt(signal.var() + 1e-7)
    float_out = ort.InferenceSession(os.path.join(SOURCE, "model.onnx")).run(None, {"input_values": signal})[0]
    half_out = ort.InferenceSession(path).run(None, {"input_values": signal.astype(np.float16)})[0]
    diff = np.abs(log_softmax(float_out) - log_softmax(half_out.astype(np.float32))).max()
    assert half_out.dtype == np.float16 and diff < 0.05, (half_out.dtype, diff)
    print(f"wrote {path} ({os.path.getsize(path)} bytes); max |log-softmax float - fp16| = {diff:.2e}")


if __name__ == "__main__":
    main()
