"""The transformers families: configs (full and tiny), the files a Hub checkpoint ships, the export."""
import os
from types import SimpleNamespace

import numpy as np
import torch

from common import OPSET, check_with_onnxruntime, count_params, export, write_json
from hf_wav2vec2 import ForCTC, ForCTCNoMask

# facebook/wav2vec2-base-960h's vocab.json: CTC blank is <pad> (id 0), "|" is the word delimiter.
VOCAB = ["<pad>", "<s>", "</s>", "<unk>", "|"] + list("ETAONIHSRDLUMWCFGYPBVK'XJQZ")

BASE = dict(
    hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072,
    conv_dim=[512] * 7, conv_stride=[5, 2, 2, 2, 2, 2, 2], conv_kernel=[10, 3, 3, 3, 3, 2, 2],
    conv_bias=False, feat_extract_norm="group", do_stable_layer_norm=False,
    num_conv_pos_embeddings=128, num_conv_pos_embedding_groups=16,
)
LARGE_LV60 = dict(BASE, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096,
                  conv_bias=True, feat_extract_norm="layer", do_stable_layer_norm=True)
# Tiny: same graph (all 7 conv layers, strides and kernels, 128-tap grouped positional conv), small widths.
TINY = dict(hidden_size=96, num_hidden_layers=2, num_attention_heads=4, intermediate_size=256, conv_dim=[64] * 7)
# Micro: tiny's graph again (7 convs, 128-tap positional conv in 16 groups of 2 channels), one layer, width 32.
MICRO = dict(hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=64, conv_dim=[32] * 7)
SMALL = {"tiny": TINY, "micro": MICRO}

FAMILIES = {
    "hf-wav2vec2-base": dict(arch="Wav2Vec2ForCTC", model_type="wav2vec2", hubert=False, mask=False, full=BASE),
    "hf-wav2vec2-large-lv60": dict(arch="Wav2Vec2ForCTC", model_type="wav2vec2", hubert=False, mask=True, full=LARGE_LV60),
    "hf-hubert": dict(arch="HubertForCTC", model_type="hubert", hubert=True, mask=False, full=BASE),
}


def make_config(family, size):
    f = FAMILIES[family]
    c = dict(
        vocab_size=len(VOCAB), hidden_act="gelu", feat_extract_activation="gelu", layer_norm_eps=1e-5,
        hidden_dropout=0.1, activation_dropout=0.1, attention_dropout=0.1, feat_proj_dropout=0.1,
        final_dropout=0.1, layerdrop=0.1, feat_proj_layer_norm=True,
    )
    c.update(f["full"])
    c.update(SMALL.get(size, {}))
    return SimpleNamespace(**c)


def config_json(family, c):
    f = FAMILIES[family]
    out = {
        "architectures": [f["arch"]], "model_type": f["model_type"],
        "activation_dropout": c.activation_dropout, "apply_spec_augment": True, "attention_dropout": c.attention_dropout,
        "bos_token_id": 1, "conv_bias": c.conv_bias, "conv_dim": c.conv_dim, "conv_kernel": c.conv_kernel,
        "conv_stride": c.conv_stride, "ctc_loss_reduction": "sum", "ctc_zero_infinity": False,
        "do_stable_layer_norm": c.do_stable_layer_norm, "eos_token_id": 2, "feat_extract_activation": "gelu",
        "feat_extract_norm": c.feat_extract_norm, "feat_proj_dropout": c.feat_proj_dropout,
        "final_dropout": c.final_dropout, "hidden_act": "gelu", "hidden_dropout": c.hidden_dropout,
        "hidden_size": c.hidden_size, "initializer_range": 0.02, "intermediate_size": c.intermediate_size,
        "layer_norm_eps": c.layer_norm_eps, "layerdrop": c.layerdrop, "mask_feature_length": 10,
        "mask_feature_prob": 0.0, "mask_time_length": 10, "mask_time_prob": 0.05,
        "num_attention_heads": c.num_attention_heads, "num_conv_pos_embedding_groups": c.num_conv_pos_embedding_groups,
        "num_conv_pos_embeddings": c.num_conv_pos_embeddings, "num_feat_extract_layers": len(c.conv_dim),
        "num_hidden_layers": c.num_hidden_layers, "pad_token_id": 0, "vocab_size": c.vocab_size,
        "torch_dtype": "float32", "transformers_version": "4.35.0",
    }
    if f["hubert"]:
        out["feat_proj_layer_norm"] = c.feat_proj_layer_norm
    return dict(sorted(out.items()))


def preprocessor_json(mask):
    return {
        "do_normalize": True, "feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1,
        "padding_side": "right", "padding_value": 0.0, "processor_class": "Wav2Vec2Processor",
        "return_attention_mask": mask, "sampling_rate": 16000,
    }


def build(family, size, out_dir, seed, check=True, opset=OPSET):
    f = FAMILIES[family]
    torch.manual_seed(seed)
    c = make_config(family, size)
    model = (ForCTC if f["mask"] else ForCTCNoMask)(c, hubert=f["hubert"]).eval()
    params = count_params(model)
    d = os.path.join(out_dir, family)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    samples = 16000
    x = torch.randn(1, samples)
    if f["mask"]:
        args = (x, torch.ones(1, samples, dtype=torch.int64))
        names = ["input_values", "attention_mask"]
        axes = {"input_values": {0: "batch_size", 1: "sequence_length"},
                "attention_mask": {0: "batch_size", 1: "sequence_length"},
                "logits": {0: "batch_size", 1: "sequence_length"}}
    else:
        args = (x,)
        names = ["input_values"]
        axes = {"input_values": {0: "batch_size", 1: "sequence_length"}, "logits": {0: "batch_size", 1: "sequence_length"}}
    export(model, args, path, names, ["logits"], axes, opset)
    write_json(os.path.join(d, "vocab.json"), {t: i for i, t in enumerate(VOCAB)})
    write_json(os.path.join(d, "preprocessor_config.json"), preprocessor_json(f["mask"]))
    write_json(os.path.join(d, "config.json"), config_json(family, c))
    write_json(os.path.join(d, "special_tokens_map.json"),
               {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"})
    write_json(os.path.join(d, "tokenizer_config.json"),
               {"tokenizer_class": "Wav2Vec2CTCTokenizer", "do_lower_case": False, "word_delimiter_token": "|",
                "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"})
    diff = None
    if check:
        rng = np.random.default_rng(seed)
        feeds = []
        for n in (16000, 23456):
            a = (rng.standard_normal((2, n)) * 0.1).astype(np.float32)
            feed = {"input_values": a}
            if f["mask"]:
                m = np.ones((2, n), dtype=np.int64)
                m[1, n - 4000:] = 0  # second row padded: exercises the mask path
                a[1, n - 4000:] = 0.0
                feed["attention_mask"] = m
            feeds.append(feed)
        diff = check_with_onnxruntime(path, model, feeds)
    return dict(family=family, size=size, params=params, bytes=os.path.getsize(path), max_abs_diff=diff)
