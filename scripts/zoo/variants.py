#!/usr/bin/env python3
"""Write the compatibility-matrix zoo: every family at size micro in the forms real exports come in.

Usage (see packages/fixtures/zoo-matrix/README.md):
  /tmp/ortpy/bin/python scripts/zoo/variants.py --out packages/fixtures/zoo-matrix

Writes <out>/<family>/<variant>/ (model.onnx, model.onnx.data where the variant has external data,
and the family's companion files) and <out>/manifest.json. Variants:
  opset11, opset13, opset14, opset17   torch.onnx.export at that opset, same seed (same weights)
  opset18                              the opset-17 export through onnx.version_converter
  seed2                                opset 17, another seed
  fp16, fp16-keepio                    onnxruntime.transformers.float16 (keep_io_types False / True)
  external-data                        onnx.save with every initializer in model.onnx.data
  ort-optimized, opset14-ort-optimized onnxruntime.transformers.optimizer.optimize_model
  ort-quantized                        quantize_dynamic, MatMul weights QInt8 (the sherpa-onnx int8 recipe)
  ort-qdq                              quantize_static, QDQ, calibrated on synthetic inputs
Each made variant is checked: onnx.checker passes, onnxruntime loads it and its outputs are compared
with the opset-17 variant's on one probe input. A cell that cannot be made is recorded in the
manifest with the exact error. Needs Debian's python3-torch 1.13, onnx 1.23 and onnxruntime 1.30.
"""
import argparse
import collections
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402

import hf_families  # noqa: E402
import nemo_families  # noqa: E402
import sherpa_zipformer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "packages", "fixtures", "zoo-matrix")
SEED = 20261130  # the zoo's default seed
SIZE = "micro"
EXPORT_OPSETS = (11, 13, 14, 17)
BUILDERS = {}
for _module in (hf_families, nemo_families, sherpa_zipformer):
    BUILDERS.update({name: _module.build for name in _module.FAMILIES})

# ORT transformers-optimizer settings per family: the model type that fuses most, heads and width of
# the micro models, and the graph optimization level (1 = basic, hardware independent; 2 adds
# FusedConv/QuickGelu; 99 would write NCHWc layouts tied to this CPU, so it is never used).
OPTIMIZER = {
    "hf-wav2vec2-base": dict(model_type="bert", num_heads=2, hidden_size=32, opt_level=1),
    "hf-wav2vec2-large-lv60": dict(model_type="bert", num_heads=2, hidden_size=32, opt_level=1),
    "hf-hubert": dict(model_type="bert", num_heads=2, hidden_size=32, opt_level=1),
    "nemo-conformer-ctc": dict(model_type="conformer", num_heads=4, hidden_size=16, opt_level=1),
    "sherpa-nemo-ctc": dict(model_type="conformer", num_heads=4, hidden_size=16, opt_level=1),
    "nemo-quartznet": dict(model_type="bert", num_heads=0, hidden_size=0, opt_level=2),
}
BASE_VARIANTS = ["opset11", "opset13", "opset14", "opset17", "opset18"]
EXTRAS = {
    "hf-wav2vec2-base": ["seed2", "fp16", "fp16-keepio", "external-data", "ort-optimized", "opset14-ort-optimized",
                         "ort-quantized", "ort-qdq"],
    "nemo-conformer-ctc": ["seed2", "fp16", "fp16-keepio", "external-data", "ort-optimized", "ort-quantized", "ort-qdq"],
    "hf-wav2vec2-large-lv60": ["fp16"],
    "nemo-quartznet": ["fp16", "ort-optimized"],
    "sherpa-nemo-ctc": ["ort-quantized"],
    "sherpa-zipformer-ctc": ["fp16", "ort-quantized"],
}
# Cells whose real-world form fails onnx.checker: recorded, not refused (onnxruntime must still run them).
CHECKER_MAY_FAIL = {
    "opset14-ort-optimized": "the optimizer writes LayerNormalization / SimplifiedLayerNormalization in the default "
                             "domain, which onnxruntime registers at every opset but ONNX defines only from opset 17 "
                             "(SimplifiedLayerNormalization never)",
}
ELEM = {v: k for k, v in onnx.TensorProto.DataType.items()}
ELEM_NAME = {"FLOAT": "float32", "FLOAT16": "float16", "INT64": "int64", "INT32": "int32", "INT8": "int8",
             "UINT8": "uint8", "DOUBLE": "float64", "BOOL": "bool"}


class SkipCell(Exception):
    """A variant that cannot be made; its message goes into the manifest."""


def elem_name(elem_type):
    name = ELEM[elem_type]
    return ELEM_NAME.get(name, name.lower())


def to_json(obj, indent=""):
    """Indented JSON with lists of scalars (shapes, file lists) kept on one line."""
    inner = indent + "  "
    if isinstance(obj, dict) and obj:
        items = [f"{inner}{json.dumps(k)}: {to_json(v, inner)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(inner + to_json(v, inner) for v in obj) + "\n" + indent + "]"
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        f.write(to_json(obj) + "\n")


# --- probe inputs -------------------------------------------------------------------------------

def probe_feeds(session, fp16):
    """One short input of the right kind: 0.5 s of audio or 120 feature frames, batch 1."""
    rng = np.random.default_rng(SEED)
    feeds = {}
    for i in session.get_inputs():
        if i.name == "input_values":
            feeds[i.name] = (rng.standard_normal((1, 8000)) * 0.1).astype(np.float32)
        elif i.name == "attention_mask":
            feeds[i.name] = np.ones((1, 8000), np.int64)
        elif i.name == "audio_signal":
            feeds[i.name] = rng.standard_normal((1, i.shape[1], 120)).astype(np.float32)
        elif i.name == "x":
            feeds[i.name] = rng.standard_normal((1, 120, 80)).astype(np.float32)
        elif i.name in ("length", "x_lens"):
            feeds[i.name] = np.array([120], np.int64)
        else:
            raise RuntimeError(f"no probe input for {i.name}")
        if fp16 and i.type == "tensor(float16)":
            feeds[i.name] = feeds[i.name].astype(np.float16)
    return feeds


def run(path):
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    outputs = session.run(None, probe_feeds(session, fp16=True))
    return {o.name: v for o, v in zip(session.get_outputs(), outputs)}


# --- graph helpers ------------------------------------------------------------------------------

def toposort(graph):
    """Order nodes so every input is produced before use (the fp16 converter appends its Casts last)."""
    produced = {i.name for i in graph.input} | {i.name for i in graph.initializer} | {""}
    pending, ordered = list(graph.node), []
    while pending:
        rest = []
        for node in pending:
            if all(name in produced for name in node.input):
                ordered.append(node)
                produced.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):
            raise RuntimeError(f"graph has a cycle or a missing input at {rest[0].name}")
        pending = rest
    moved = sum(a is not b for a, b in zip(ordered, graph.node))
    del graph.node[:]
    graph.node.extend(ordered)
    return moved


def histogram(model):
    counts = collections.Counter(f"{n.domain}:{n.op_type}" if n.domain not in ("", "ai.onnx") else n.op_type
                                 for n in model.graph.node)
    return dict(sorted(counts.items()))


def describe_io(values):
    out = []
    for v in values:
        t = v.type.tensor_type
        dims = [d.dim_param if d.dim_param else d.dim_value for d in t.shape.dim]
        out.append({"name": v.name, "elemType": elem_name(t.elem_type), "shape": dims})
    return out


# --- the variants -------------------------------------------------------------------------------

def export_cell(family, work, opset, seed):
    """torch.onnx.export at `opset` with the family's builder (which also checks torch vs onnxruntime)."""
    try:
        info = BUILDERS[family](family, SIZE, work, seed, check=True, opset=opset)
    except Exception as e:  # torch refusing an opset is a finding, recorded verbatim
        raise SkipCell(f"torch.onnx.export at opset {opset} failed: {type(e).__name__}: {e}") from e
    tool = {"tool": "torch.onnx.export", "version": torch.__version__,
            "settings": {"opset_version": opset, "do_constant_folding": True, "seed": seed, "size": SIZE,
                         "dynamic_axes": "batch and time"},
            "torchVsOnnxruntimeMaxAbsDiff": info["max_abs_diff"]}
    return os.path.join(work, family), tool


def opset18_cell(base_model):
    import onnx.version_converter as vc

    model = vc.convert_version(base_model, 18)
    return model, {"tool": "onnx.version_converter.convert_version", "version": onnx.__version__,
                   "settings": {"from": "opset17", "target_version": 18}}


def fp16_cell(base_model, keep_io):
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = convert_float_to_float16(base_model, keep_io_types=keep_io)
    outputs = collections.Counter(o for n in model.graph.node for o in n.output)
    clashes = sorted(name for name, n in outputs.items() if n > 1)
    if clashes:
        refused = onnxruntime_refusal(model)
        raise SkipCell(f"convert_float_to_float16(keep_io_types={keep_io}) wrote {outputs[clashes[0]]} Cast nodes with "
                       f"the same name and output {clashes[0]!r} (Max/Min are on its default op_block_list and "
                       f"share one fp32 constant input), so the graph is not in SSA form: onnx.checker rejects it "
                       f"and onnxruntime refuses to load it: {refused}")
    moved = toposort(model.graph)
    return model, {"tool": "onnxruntime.transformers.float16.convert_float_to_float16", "version": ort.__version__,
                   "settings": {"from": "opset17", "keep_io_types": keep_io},
                   "note": f"nodes re-sorted topologically afterwards ({moved} moved): the converter appends the "
                           "Cast nodes it inserts at the end of the node list, which onnx.checker rejects "
                           "('Nodes in a graph must be topologically sorted'); onnxruntime itself accepts either order"}


def onnxruntime_refusal(model):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "model.onnx")
        onnx.save(model, path)
        try:
            ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        except Exception as e:
            return str(e).replace(path, "model.onnx").strip()
    return "(onnxruntime loads it)"


def optimized_cell(family, src, work):
    from onnxruntime.transformers.optimizer import optimize_model

    if family not in OPTIMIZER:
        raise SkipCell(f"no optimizer settings for {family}")
    settings = OPTIMIZER[family]
    opt = optimize_model(src, use_gpu=False, **settings)
    path = os.path.join(work, "optimized.onnx")
    opt.save_model_to_file(path)
    fused = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
    return onnx.load(path), {"tool": "onnxruntime.transformers.optimizer.optimize_model", "version": ort.__version__,
                             "settings": dict(settings, use_gpu=False), "fusedOperators": fused}


def quantized_cell(src, work):
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = os.path.join(work, "quantized.onnx")
    quantize_dynamic(src, path, op_types_to_quantize=["MatMul"], weight_type=QuantType.QInt8)
    model = onnx.load(path)
    if not any(n.op_type == "MatMulInteger" for n in model.graph.node):
        raise SkipCell("quantize_dynamic(op_types_to_quantize=['MatMul']) quantized nothing: the graph has no "
                       "MatMul with a weight (every weight sits in a Conv)")
    return model, {"tool": "onnxruntime.quantization.quantize_dynamic", "version": ort.__version__,
                   "settings": {"from": "opset17", "op_types_to_quantize": ["MatMul"], "weight_type": "QInt8",
                                "per_channel": False, "reduce_range": False}}


def qdq_cell(src, work):
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class SyntheticReader(CalibrationDataReader):
        def __init__(self):
            session = ort.InferenceSession(src, providers=["CPUExecutionProvider"])
            rng = np.random.default_rng(SEED + 7)
            batches = []
            for _ in range(4):
                feeds = probe_feeds(session, fp16=False)
                batches.append({k: (v * rng.uniform(0.5, 1.5)).astype(v.dtype) if v.dtype == np.float32 else v
                                for k, v in feeds.items()})
            self.batches = iter(batches)

        def get_next(self):
            return next(self.batches, None)

    path = os.path.join(work, "qdq.onnx")
    quantize_static(src, path, SyntheticReader(), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QInt8, weight_type=QuantType.QInt8)
    return onnx.load(path), {"tool": "onnxruntime.quantization.quantize_static", "version": ort.__version__,
                             "settings": {"from": "opset17", "quant_format": "QDQ", "activation_type": "QInt8",
                                          "weight_type": "QInt8", "per_channel": False,
                                          "calibrate_method": "MinMax",
                                          "calibration": "4 synthetic batches: the probe input scaled by 0.5-1.5"}}


# --- writing and checking -----------------------------------------------------------------------

def save_variant(model, folder, companions_from, external):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "model.onnx")
    if external:
        onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                  location="model.onnx.data", size_threshold=0)
    else:
        onnx.save(model, path)
    copy_companions(companions_from, folder)
    return path


def copy_companions(src_folder, folder):
    for name in sorted(os.listdir(src_folder)):
        if name not in ("model.onnx", "model.onnx.data"):
            shutil.copyfile(os.path.join(src_folder, name), os.path.join(folder, name))


def check_and_describe(family, variant, folder, out_root, tool, reference):
    path = os.path.join(folder, "model.onnx")
    try:
        onnx.checker.check_model(path)  # a path, so external data is found and checked too
        checker = None
    except onnx.checker.ValidationError as e:
        if variant not in CHECKER_MAY_FAIL:
            raise
        checker = f"{str(e).strip()} ({CHECKER_MAY_FAIL[variant]})"
    model = onnx.load(path, load_external_data=False)
    outputs = run(path)
    if reference is None:
        reference = outputs
    diff = {}
    for name, ref in reference.items():
        got = outputs[name]
        if got.shape != ref.shape:
            raise RuntimeError(f"{family}/{variant}: output {name} shape {got.shape} vs opset17 {ref.shape}")
        diff[name] = float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64)))) if got.size else 0.0
    opsets = {(o.domain or "ai.onnx"): o.version for o in model.opset_import}
    data = os.path.join(folder, "model.onnx.data")
    ops = histogram(model)
    init_types = {elem_name(t.data_type) for t in model.graph.initializer}
    inputs = describe_io(model.graph.input)
    entry = {
        "family": family,
        "variant": variant,
        "path": os.path.relpath(path, out_root).replace(os.sep, "/"),
        "files": sorted(os.listdir(folder)),
        "opset": opsets.get("ai.onnx"),
        "opsetImports": dict(sorted(opsets.items())),
        "irVersion": model.ir_version,
        "producer": {"name": model.producer_name, "version": model.producer_version},
        "madeBy": tool,
        "inputs": inputs,
        "outputs": describe_io(model.graph.output),
        "externalData": "model.onnx.data" if os.path.exists(data) else None,
        "fp16": "float16" in init_types,
        "fp16Inputs": any(i["elemType"] == "float16" for i in inputs),
        "preQuantized": ("dynamic" if "MatMulInteger" in ops else "qdq" if "QuantizeLinear" in ops else None),
        "ortFused": any(":" in op for op in ops),
        "initializerTypes": sorted(init_types),
        "metadata": {p.key: p.value for p in model.metadata_props},
        "ops": ops,
        "customOps": {k: v for k, v in ops.items() if ":" in k},
        "bytes": {"model": os.path.getsize(path), "data": os.path.getsize(data) if os.path.exists(data) else 0},
        "probe": {"outputShapes": {k: list(v.shape) for k, v in outputs.items()}},
        "maxAbsDiffVsOpset17": diff,
        "onnxCheckerPasses": checker is None,
        "checks": {"onnxChecker": f"onnx {onnx.__version__} check_model " + ("passed" if checker is None else
                                                                              f"fails: {checker}"),
                   "onnxruntime": f"onnxruntime {ort.__version__} CPUExecutionProvider loaded and ran it"},
    }
    entry["bytes"]["total"] = entry["bytes"]["model"] + entry["bytes"]["data"]
    return entry, outputs


def make_family(family, out_root, work, seed):
    entries = []
    fam_out = os.path.join(out_root, family)
    shutil.rmtree(fam_out, ignore_errors=True)
    exports = {}
    for opset in (17,) + tuple(o for o in EXPORT_OPSETS if o != 17):
        try:
            exports[opset] = export_cell(family, os.path.join(work, f"opset{opset}"), opset, seed)
        except SkipCell as e:
            exports[opset] = e
    if isinstance(exports[17], SkipCell):
        raise RuntimeError(f"{family}: every variant is made from or compared with the opset-17 export") from exports[17]
    base_dir, _ = exports[17]
    base_path = os.path.join(base_dir, "model.onnx")
    reference = run(base_path)
    variants = BASE_VARIANTS + EXTRAS.get(family, [])

    def made(variant):
        if variant.startswith("opset") and variant[5:].isdigit() and int(variant[5:]) in EXPORT_OPSETS:
            cell = exports[int(variant[5:])]
            if isinstance(cell, SkipCell):
                raise cell
            folder, tool = cell
            return onnx.load(os.path.join(folder, "model.onnx")), tool, folder, False
        if variant == "seed2":
            folder, tool = export_cell(family, os.path.join(work, "seed2"), 17, seed + 1)
            return onnx.load(os.path.join(folder, "model.onnx")), tool, folder, False
        base = onnx.load(base_path)
        if variant == "opset18":
            return (*opset18_cell(base), base_dir, False)
        if variant in ("fp16", "fp16-keepio"):
            return (*fp16_cell(base, variant == "fp16-keepio"), base_dir, False)
        if variant == "external-data":
            return base, {"tool": "onnx.save", "version": onnx.__version__,
                          "settings": {"from": "opset17", "save_as_external_data": True,
                                       "all_tensors_to_one_file": True, "location": "model.onnx.data",
                                       "size_threshold": 0}}, base_dir, True
        if variant == "ort-optimized":
            return (*optimized_cell(family, base_path, work), base_dir, False)
        if variant == "opset14-ort-optimized":
            folder, _ = exports[14]
            return (*optimized_cell(family, os.path.join(folder, "model.onnx"), work), folder, False)
        if variant == "ort-quantized":
            return (*quantized_cell(base_path, work), base_dir, False)
        if variant == "ort-qdq":
            return (*qdq_cell(base_path, work), base_dir, False)
        raise ValueError(f"unknown variant {variant}")

    for variant in variants:
        folder = os.path.join(fam_out, variant)
        try:
            model, tool, companions, external = made(variant)
            save_variant(model, folder, companions, external)
            entry, _ = check_and_describe(family, variant, folder, out_root, tool,
                                          None if variant == "opset17" else reference)
        except Exception as e:
            shutil.rmtree(folder, ignore_errors=True)
            reason = str(e) if isinstance(e, SkipCell) else f"{type(e).__name__}: {e}"
            entry = {"family": family, "variant": variant, "skipped": True, "reason": reason.strip()}
        entries.append(entry)
        status = "skipped: " + entry["reason"][:160] if entry.get("skipped") else f"{entry['bytes']['total']} bytes"
        print(f"{family}/{variant}: {status}", flush=True)
    return entries


def size_table(manifest):
    """The README's table: family x variant, bytes of each made variant (model + data) or 'skipped'."""
    entries = manifest["variants"]
    columns = []
    for e in entries:
        if e["variant"] not in columns:
            columns.append(e["variant"])
    families = sorted({e["family"] for e in entries})
    cells = {(e["family"], e["variant"]): e for e in entries}
    lines = ["| family | " + " | ".join(columns) + " | total |", "|---|" + "---:|" * (len(columns) + 1)]
    for family in families:
        row, total = [], 0
        for variant in columns:
            e = cells.get((family, variant))
            if e is None:
                row.append("")
            elif e.get("skipped"):
                row.append("skipped")
            else:
                row.append(f"{e['bytes']['total'] / 1000:.0f} k")
                total += e["bytes"]["total"]
        lines.append(f"| {family} | " + " | ".join(row) + f" | {total / 1e6:.2f} M |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=DEFAULT_OUT, help="output folder (default packages/fixtures/zoo-matrix)")
    p.add_argument("--family", default="all", help=f"one of {sorted(BUILDERS)}, a comma-separated list or 'all'")
    p.add_argument("--seed", type=int, default=SEED, help="seed of every variant but seed2 (which uses seed + 1)")
    p.add_argument("--table", action="store_true", help="print the README's size table from <out>/manifest.json and exit")
    a = p.parse_args()
    if a.table:
        print(size_table(json.load(open(os.path.join(a.out, "manifest.json"), encoding="utf-8"))))
        return
    names = sorted(BUILDERS) if a.family == "all" else a.family.split(",")
    for n in names:
        if n not in BUILDERS:
            p.error(f"unknown family {n!r}; choose from {sorted(BUILDERS)}")
    out_root = os.path.abspath(a.out)
    os.makedirs(out_root, exist_ok=True)
    manifest_path = os.path.join(out_root, "manifest.json")
    previous = []
    if os.path.exists(manifest_path) and a.family != "all":
        previous = [e for e in json.load(open(manifest_path))["variants"] if e["family"] not in names]
    entries = list(previous)
    for family in names:
        with tempfile.TemporaryDirectory(prefix=f"zoo-matrix-{family}-") as work:
            entries.extend(make_family(family, out_root, work, a.seed))
    order = {n: i for i, n in enumerate(sorted(BUILDERS))}
    entries.sort(key=lambda e: order[e["family"]])
    made = [e for e in entries if not e.get("skipped")]
    write_json(manifest_path, {
        "description": "asrq's compatibility-matrix zoo: the model families at size micro (random weights) in the "
                       "forms real exports come in. Written by scripts/zoo/variants.py; see README.md.",
        "command": "/tmp/ortpy/bin/python scripts/zoo/variants.py --out packages/fixtures/zoo-matrix",
        "seed": a.seed,
        "size": SIZE,
        "tools": {"torch": torch.__version__, "onnx": onnx.__version__, "onnxruntime": ort.__version__},
        "totalBytes": sum(e["bytes"]["total"] for e in made),
        "variants": entries,
    })
    print(json.dumps({"variants": len(made), "skipped": len(entries) - len(made),
                      "modelBytes": sum(e["bytes"]["total"] for e in made)}))


if __name__ == "__main__":
    main()
