"""WeNet CTC as sherpa-onnx exports it: int16-range fbank in, log-probs and lengths out, tokens.txt, metadata."""
import os

import numpy as np
import torch

from common import add_metadata, check_with_onnxruntime, count_params, export, randomize_batchnorm
from nemo_families import TOKENIZER, sentencepiece_pieces
from wenet_model import CTC, ConformerEncoder, OnnxModel

FAMILIES = {"sherpa-wenet-ctc": {}}
# A WeNet U2++ Conformer as its recipes train it (e.g. aishell u2pp_conformer): 12 blocks, 256 wide, 4 heads.
FULL = dict(size=256, heads=4, hidden=2048, blocks=12, kernel_size=15, max_len=5000)
# Tiny: a positional table of 1,500 frames after subsampling (60 s of audio) instead of 5,000.
TINY = dict(size=64, heads=4, hidden=128, blocks=2, kernel_size=15, max_len=1500)
MELS = 80


def tokens():
    """WeNet's units.txt as sherpa-onnx's tokens.txt: <blank> 0, <unk> 1, the BPE pieces, <sos/eos> last."""
    return sentencepiece_pieces(TOKENIZER) + ["<sos/eos>"]  # the bundled model starts with <blank>, <unk>


def build(family, size, out_dir, seed, check=True):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    vocab = tokens()
    cfg = FULL if size == "full" else TINY
    # global_cmvn from training statistics of int16-range fbank (WeNet computes it over its training set).
    mean = 10.0 + 2.0 * torch.rand(MELS, generator=gen) + torch.linspace(2.0, -2.0, MELS)
    istd = 1.0 / (2.5 + 1.5 * torch.rand(MELS, generator=gen))
    encoder = ConformerEncoder(MELS, cfg["size"], cfg["heads"], cfg["hidden"], cfg["blocks"], cfg["kernel_size"], mean, istd,
                               cfg["max_len"])
    model = OnnxModel(encoder, CTC(len(vocab), cfg["size"]))
    randomize_batchnorm(model, gen)
    model.eval()
    params = count_params(model)
    d = os.path.join(out_dir, family)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    export(model, (torch.rand(1, 200, MELS) * 10, torch.tensor([200], dtype=torch.int64)), path, ["x", "x_lens"],
           ["log_probs", "log_probs_lens"],
           {"x": {0: "N", 1: "T"}, "x_lens": {0: "N"}, "log_probs": {0: "N", 1: "T"}, "log_probs_lens": {0: "N"}})
    add_metadata(path, {"model_type": "wenet_ctc", "version": "1", "model_author": "wenet", "comment": "non-streaming",
                        "subsampling_factor": 4, "vocab_size": len(vocab),
                        "url": "asrq zoo: random weights, real-shaped WeNet Conformer CTC exported the sherpa-onnx way"})
    with open(os.path.join(d, "tokens.txt"), "w", encoding="utf-8") as fh:
        for i, t in enumerate(vocab):
            fh.write(f"{t} {i}\n")
    diff = None
    if check:
        rng = np.random.default_rng(seed)
        feeds = []
        for n in (160, 333):
            x = (10 + 3 * rng.standard_normal((2, n, MELS))).astype(np.float32)
            feeds.append({"x": x, "x_lens": np.array([n, n - 40], dtype=np.int64)})
        diff = check_with_onnxruntime(path, model, feeds)
    return dict(family=family, size=size, params=params, bytes=os.path.getsize(path), max_abs_diff=diff)
