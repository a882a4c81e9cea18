#!/usr/bin/env python3
"""Export asrq's zoo of real-shaped CTC models (random weights, fixed seed) to ONNX.

Usage (see packages/fixtures/zoo/README.md):
  /tmp/ortpy/bin/python scripts/zoo/export.py --size tiny --family all --out packages/fixtures/zoo
  /tmp/ortpy/bin/python scripts/zoo/export.py --size full --family hf-wav2vec2-base --out zoo-full
  /tmp/ortpy/bin/python scripts/zoo/export.py --size micro --opset 13 --family nemo-quartznet --out /tmp/zoo13

Needs Debian's python3-torch 1.13 and python3-onnx, plus onnxruntime for the check
(a venv made with --system-site-packages; --no-check skips it).
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import hf_families  # noqa: E402
import nemo_families  # noqa: E402
import sense_voice  # noqa: E402
import sherpa_zipformer  # noqa: E402
import wenet  # noqa: E402
from common import OPSET, SIZES  # noqa: E402

BUILDERS = {}
for module in (hf_families, nemo_families, sherpa_zipformer, sense_voice, wenet):
    BUILDERS.update({name: module.build for name in module.FAMILIES})


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=SIZES, default="tiny",
                   help="tiny (the committed zoo), micro (tiny's graph, smallest widths: the compatibility matrix) or full")
    p.add_argument("--family", default="all", help=f"one of {sorted(BUILDERS)} or 'all' (comma-separated list allowed)")
    p.add_argument("--out", required=True, help="output folder; each family goes to <out>/<family>/")
    p.add_argument("--seed", type=int, default=20261130)
    p.add_argument("--opset", type=int, default=OPSET, choices=range(11, 18), metavar="11..17",
                   help=f"ai.onnx opset torch.onnx.export writes (default {OPSET}; torch 1.13 stops at 17)")
    p.add_argument("--no-check", action="store_true", help="skip the torch vs onnxruntime comparison")
    a = p.parse_args()
    names = sorted(BUILDERS) if a.family == "all" else a.family.split(",")
    for n in names:
        if n not in BUILDERS:
            p.error(f"unknown family {n!r}; choose from {sorted(BUILDERS)}")
    for n in names:
        t0 = time.time()
        info = BUILDERS[n](n, a.size, a.out, a.seed, check=not a.no_check, opset=a.opset)
        info["opset"] = a.opset
        info["seconds"] = round(time.time() - t0, 1)
        print(json.dumps(info), flush=True)


if __name__ == "__main__":
    main()
