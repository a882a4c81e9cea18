"""Shared helpers for the zoo exporter: export, metadata, parameter counts, torch-vs-onnxruntime check.

Only scripts/zoo uses Python; asrq itself never does.
"""
import json
import os

import numpy as np
import onnx
import torch

OPSET = 17  # the default; torch 1.13 exports opsets 7..17 (the zoo uses 11..17)
SIZES = ("tiny", "micro", "full")  # micro: tiny's graph with the smallest widths that keep it


def count_params(module: torch.nn.Module) -> int:
    """Parameters as transformers/NeMo report them (buffers such as BatchNorm statistics excluded)."""
    return sum(p.numel() for p in module.parameters())


def randomize_batchnorm(module: torch.nn.Module, gen: torch.Generator) -> None:
    """Give BatchNorm layers non-trivial running statistics, as a trained checkpoint has."""
    for m in module.modules():
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)


def export(module, args, path, input_names, output_names, dynamic_axes, opset=OPSET):
    """torch.onnx.export with the real tensor names and dynamic batch/time axes, at ai.onnx `opset`."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(
            module,
            args,
            path,
            opset_version=opset,
            input_names=input_names,
            output_names=output_names,
            dynamic_axes=dynamic_axes,
            do_constant_folding=True,
        )


def add_metadata(path: str, meta: dict) -> None:
    """Write ONNX metadata_props the way sherpa-onnx's export scripts do (all values as strings)."""
    model = onnx.load(path)
    while len(model.metadata_props):
        model.metadata_props.pop()
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key = key
        entry.value = str(value)
    onnx.save(model, path)


def check_with_onnxruntime(path, module, feeds_list, atol=1e-3):
    """Run torch and onnxruntime on each feed dict; return the worst max-abs difference per output.

    Raises if onnxruntime is missing, shapes differ or the difference exceeds atol.
    """
    import onnxruntime as ort  # from the venv described in README

    onnx.checker.check_model(onnx.load(path))
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    worst = {}
    module.eval()
    for feeds in feeds_list:
        with torch.no_grad():
            ref = module(*[torch.from_numpy(v) for v in feeds.values()])
        if not isinstance(ref, (tuple, list)):
            ref = (ref,)
        got = sess.run(None, feeds)
        for name, r, g in zip(names, ref, got):
            r = r.numpy()
            if r.shape != g.shape:
                raise RuntimeError(f"{path}: output {name} shape torch {r.shape} vs onnxruntime {g.shape}")
            diff = float(np.max(np.abs(r.astype(np.float64) - g.astype(np.float64)))) if r.size else 0.0
            worst[name] = max(worst.get(name, 0.0), diff)
            if diff > atol:
                raise RuntimeError(f"{path}: output {name} differs by {diff} (> {atol}) between torch and onnxruntime")
    return worst


def write_json(path: str, obj) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
