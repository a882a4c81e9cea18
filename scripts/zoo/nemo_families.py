"""The NeMo families (Conformer-CTC, QuartzNet) and the sherpa-onnx form of a NeMo CTC export."""
import json
import os
import shutil

import numpy as np
import torch

from common import OPSET, add_metadata, check_with_onnxruntime, count_params, export, randomize_batchnorm
from nemo_conformer import ConformerEncoder, ConvASRDecoder, EncDecCTCModel
from nemo_jasper import ConvASREncoder, quartznet_blocks

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(HERE, "..", "..", "packages", "fixtures", "model", "tokenizer.model")
# QuartzNet15x5Base-En's character vocabulary (decoder.vocabulary); blank is appended last.
CHARS = [" "] + list("abcdefghijklmnopqrstuvwxyz") + ["'"]

CONFORMER = {
    # stt_en_conformer_ctc_medium / _small (NeMo examples/asr/conf/conformer/conformer_ctc_bpe.yaml)
    "medium": dict(n_layers=18, d_model=256, n_heads=4, pos_emb_max_len=5000),
    "small": dict(n_layers=16, d_model=176, n_heads=4, pos_emb_max_len=5000),
    "tiny": dict(n_layers=2, d_model=64, n_heads=4, pos_emb_max_len=1500),
    # micro: one layer of width 16 (still 4 heads), a positional table of 500 frames (20 s of audio)
    "micro": dict(n_layers=1, d_model=16, n_heads=4, pos_emb_max_len=500),
}
FAMILIES = {
    "nemo-conformer-ctc": dict(kind="conformer", full="medium"),
    "nemo-quartznet": dict(kind="quartznet"),
    "sherpa-nemo-ctc": dict(kind="conformer", full="small", sherpa=True),
}


def sentencepiece_pieces(path):
    """The pieces of a SentencePiece model, read from its protobuf (field 1 = pieces, piece.field 1 = text)."""
    data = open(path, "rb").read()

    def varint(buf, i):
        shift = value = 0
        while True:
            b = buf[i]
            i += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, i

    pieces, i = [], 0
    while i < len(data):
        key, i = varint(data, i)
        field, wire = key >> 3, key & 7
        if wire == 2:
            n, i = varint(data, i)
            if field == 1:
                sub, j = data[i : i + n], 0
                while j < len(sub):
                    k2, j = varint(sub, j)
                    if k2 & 7 == 2:
                        m, j = varint(sub, j)
                        if k2 >> 3 == 1:
                            pieces.append(sub[j : j + m].decode("utf-8"))
                        j += m
                    elif k2 & 7 == 5:
                        j += 4
                    elif k2 & 7 == 0:
                        _, j = varint(sub, j)
                    else:
                        raise ValueError("unexpected wire type in SentencePiece piece")
            i += n
        elif wire == 0:
            _, i = varint(data, i)
        elif wire == 5:
            i += 4
        elif wire == 1:
            i += 8
        else:
            raise ValueError("unexpected wire type in SentencePiece model")
    return pieces


def q(s):
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def preprocessor_yaml(features, window_size, pad_to, extra=""):
    return (
        "preprocessor:\n"
        "  _target_: nemo.collections.asr.modules.AudioToMelSpectrogramPreprocessor\n"
        "  sample_rate: 16000\n  normalize: per_feature\n"
        f"  window_size: {window_size}\n  window_stride: 0.01\n  window: hann\n"
        f"  features: {features}\n  n_fft: 512\n  log: true\n  frame_splicing: 1\n  dither: 1.0e-05\n"
        f"  pad_to: {pad_to}\n  pad_value: 0.0\n{extra}"
    )


def conformer_yaml(cfg, vocab):
    enc = (
        "encoder:\n  _target_: nemo.collections.asr.modules.ConformerEncoder\n  feat_in: 80\n  feat_out: -1\n"
        f"  n_layers: {cfg['n_layers']}\n  d_model: {cfg['d_model']}\n  subsampling: striding\n"
        "  subsampling_factor: 4\n  subsampling_conv_channels: -1\n  ff_expansion_factor: 4\n"
        "  self_attention_model: rel_pos\n"
        f"  n_heads: {cfg['n_heads']}\n  att_context_size: [-1, -1]\n  xscaling: true\n  untie_biases: true\n"
        f"  pos_emb_max_len: {cfg['pos_emb_max_len']}\n  conv_kernel_size: 31\n  conv_norm_type: batch_norm\n"
        "  dropout: 0.1\n  dropout_emb: 0.0\n  dropout_att: 0.1\n"
    )
    dec = (
        "decoder:\n  _target_: nemo.collections.asr.modules.ConvASRDecoder\n"
        f"  feat_in: {cfg['d_model']}\n  num_classes: {len(vocab)}\n  vocabulary:\n"
        + "".join(f"  - {q(p)}\n" for p in vocab)
    )
    tok = "tokenizer:\n  dir: null\n  type: bpe\n  model_path: nemo:tokenizer.model\n"
    return (
        "sample_rate: 16000\nlog_prediction: true\nctc_reduction: mean_batch\n"
        + tok + preprocessor_yaml(80, 0.025, 0) + enc + dec
        + "target: nemo.collections.asr.models.ctc_bpe_models.EncDecCTCModelBPE\n"
    )


def quartznet_yaml(blocks):
    jasper = "".join(
        f"  - filters: {b['cout']}\n    repeat: {b['repeat']}\n    kernel: [{b['kernel_size']}]\n"
        f"    stride: [{b.get('stride', 1)}]\n    dilation: [{b.get('dilation', 1)}]\n    dropout: 0.0\n"
        f"    residual: {str(b.get('residual', True)).lower()}\n    separable: {str(b.get('separable', True)).lower()}\n"
        for b in blocks
    )
    return (
        "sample_rate: 16000\nrepeat: 5\ndropout: 0.0\nseparable: true\nlabels: [" + ", ".join(q(c) for c in CHARS) + "]\n"
        + preprocessor_yaml(64, 0.02, 16, "  stft_conv: false\n")
        + "encoder:\n  _target_: nemo.collections.asr.modules.ConvASREncoder\n  feat_in: 64\n  activation: relu\n"
        "  conv_mask: true\n  jasper:\n" + jasper
        + f"decoder:\n  _target_: nemo.collections.asr.modules.ConvASRDecoder\n  feat_in: {blocks[-1]['cout']}\n"
        f"  num_classes: {len(CHARS)}\n  vocabulary: [" + ", ".join(q(c) for c in CHARS) + "]\n"
        "target: nemo.collections.asr.models.ctc_models.EncDecCTCModel\n"
    )


def build(family, size, out_dir, seed, check=True, opset=OPSET):
    f = FAMILIES[family]
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    d = os.path.join(out_dir, family)
    os.makedirs(d, exist_ok=True)
    if f["kind"] == "conformer":
        vocab = sentencepiece_pieces(TOKENIZER)
        cfg = CONFORMER[f["full"] if size == "full" else size]
        enc = ConformerEncoder(80, cfg["n_layers"], cfg["d_model"], cfg["n_heads"], pos_emb_max_len=cfg["pos_emb_max_len"])
        model = EncDecCTCModel(enc, ConvASRDecoder(cfg["d_model"], len(vocab) + 1))
        feat, subsampling = 80, 4
    else:
        vocab = CHARS
        blocks = quartznet_blocks(size)
        model = EncDecCTCModel(ConvASREncoder(64, blocks), ConvASRDecoder(blocks[-1]["cout"], len(vocab) + 1))
        feat, subsampling = 64, 2
    randomize_batchnorm(model, gen)
    model.eval()
    params = count_params(model)
    path = os.path.join(d, "model.onnx")
    frames = 200
    export(model, (torch.randn(1, feat, frames), torch.tensor([frames], dtype=torch.int64)), path,
           ["audio_signal", "length"], ["logprobs"],
           {"audio_signal": {0: "batch", 2: "time"}, "length": {0: "batch"}, "logprobs": {0: "batch", 1: "time"}},
           opset)
    if f.get("sherpa"):
        # as sherpa-onnx's scripts/nemo export scripts write them: tokens then <blk> last, metadata strings
        with open(os.path.join(d, "tokens.txt"), "w", encoding="utf-8") as fh:
            for i, p in enumerate(vocab):
                fh.write(f"{p} {i}\n")
            fh.write(f"<blk> {len(vocab)}\n")
        add_metadata(path, {
            "vocab_size": len(vocab) + 1, "normalize_type": "per_feature", "subsampling_factor": subsampling,
            "model_type": "EncDecCTCModelBPE", "version": "1", "model_author": "NeMo",
            "url": "https://catalog.ngc.nvidia.com/orgs/nvidia/teams/nemo/models/stt_en_conformer_ctc_small",
            "comment": "asrq zoo: random weights, real-shaped NeMo Conformer-CTC exported the sherpa-onnx way",
        })
    elif f["kind"] == "conformer":
        open(os.path.join(d, "model_config.yaml"), "w", encoding="utf-8").write(conformer_yaml(cfg, vocab))
        shutil.copyfile(TOKENIZER, os.path.join(d, "tokenizer.model"))
    else:
        open(os.path.join(d, "model_config.yaml"), "w", encoding="utf-8").write(quartznet_yaml(blocks))
    diff = None
    if check:
        rng = np.random.default_rng(seed)
        feeds = []
        for n in (160, 333):
            x = rng.standard_normal((2, feat, n)).astype(np.float32)
            feeds.append({"audio_signal": x, "length": np.array([n, n - 50], dtype=np.int64)})
        diff = check_with_onnxruntime(path, model, feeds)
    return dict(family=family, size=size, params=params, bytes=os.path.getsize(path), max_abs_diff=diff)
