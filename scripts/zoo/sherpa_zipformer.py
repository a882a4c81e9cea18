"""The sherpa-onnx / icefall Zipformer2 CTC family: 80-dim fbank in, log-probs out, tokens.txt, metadata."""
import os

import numpy as np
import torch

from common import OPSET, add_metadata, check_with_onnxruntime, count_params, export
from nemo_families import TOKENIZER, sentencepiece_pieces
from zipformer2 import OnnxCtcModel

FAMILIES = {"sherpa-zipformer-ctc": {}}
# icefall-asr-librispeech-zipformer-2023-05-15 (the default "medium" non-streaming zipformer)
FULL = dict(feature_dim=80, num_encoder_layers=(2, 2, 3, 4, 3, 2), downsampling_factor=(1, 2, 4, 8, 4, 2),
            feedforward_dim=(512, 768, 1024, 1536, 1024, 768), num_heads=(4, 4, 4, 8, 4, 4),
            encoder_dim=(192, 256, 384, 512, 384, 256), query_head_dim=32, value_head_dim=12, pos_head_dim=4,
            pos_dim=48, cnn_module_kernel=(31, 31, 15, 15, 15, 31))
TINY = dict(FULL, num_encoder_layers=(1, 1, 1, 1, 1, 1), feedforward_dim=(64, 96, 128, 192, 128, 96),
            num_heads=(2, 2, 2, 4, 2, 2), encoder_dim=(32, 48, 64, 96, 64, 48), query_head_dim=16,
            value_head_dim=8, pos_dim=16)
# micro: still 6 stacks (one layer each, same frame rates, conv kernels and widths rising then falling,
# so the channel padding and slicing between stacks stay), widths 16..32, a narrower subsampling
# front (ConvNeXt on 32 channels instead of 128)
MICRO = dict(FULL, num_encoder_layers=(1, 1, 1, 1, 1, 1), feedforward_dim=(24, 32, 48, 64, 48, 32),
             num_heads=(2, 2, 2, 4, 2, 2), encoder_dim=(16, 20, 24, 32, 24, 20), query_head_dim=8,
             value_head_dim=4, pos_dim=8, embed_channels=(8, 16, 32))
SHAPES = {"tiny": TINY, "micro": MICRO, "full": FULL}


def build(family, size, out_dir, seed, check=True, opset=OPSET):
    torch.manual_seed(seed)
    pieces = sentencepiece_pieces(TOKENIZER)
    # icefall's tokens.txt: "<blk> 0" first (the BPE model's id 0), then every other piece with its id
    tokens = ["<blk>"] + pieces[1:]
    model = OnnxCtcModel(SHAPES[size], len(tokens)).eval()
    params = count_params(model)
    d = os.path.join(out_dir, family)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    export(model, (torch.zeros(1, 100, 80), torch.tensor([100], dtype=torch.int64)), path, ["x", "x_lens"],
           ["log_probs", "log_probs_len"],
           {"x": {0: "N", 1: "T"}, "x_lens": {0: "N"}, "log_probs": {0: "N", 1: "T"}, "log_probs_len": {0: "N"}},
           opset)
    add_metadata(path, {"model_type": "zipformer2_ctc", "version": "1", "model_author": "k2-fsa",
                        "comment": "non-streaming zipformer2 CTC"})
    with open(os.path.join(d, "tokens.txt"), "w", encoding="utf-8") as fh:
        for i, t in enumerate(tokens):
            fh.write(f"{t} {i}\n")
    diff = None
    if check:
        rng = np.random.default_rng(seed)
        feeds = []
        for n in (160, 333):
            x = rng.standard_normal((2, n, 80)).astype(np.float32)
            feeds.append({"x": x, "x_lens": np.array([n, n - 40], dtype=np.int64)})
        diff = check_with_onnxruntime(path, model, feeds)
    return dict(family=family, size=size, params=params, bytes=os.path.getsize(path), max_abs_diff=diff)
