"""SenseVoice as sherpa-onnx exports it: LFR fbank features + language/text_norm in, logits out, tokens.txt, metadata."""
import os

import numpy as np
import torch

from common import add_metadata, check_with_onnxruntime, count_params, export
from nemo_families import TOKENIZER, sentencepiece_pieces
from sense_voice_model import SenseVoiceSmall

FAMILIES = {"sherpa-sense-voice": {}}
# iic/SenseVoiceSmall: 50 SANM blocks (1 + 49) then 20 time-pooling ("tp") blocks, 512 wide, 4 heads.
FULL = dict(output_size=512, heads=4, hidden=2048, blocks=50, tp_blocks=20, kernel_size=11)
TINY = dict(output_size=64, heads=4, hidden=128, blocks=3, tp_blocks=1, kernel_size=11)
# The ids sherpa-onnx's export writes to the metadata (SenseVoiceSmall's lid_dict and textnorm_dict).
LANGUAGES = {"auto": 0, "zh": 3, "en": 4, "yue": 7, "ja": 11, "ko": 12, "nospeech": 13}
TEXT_NORM = {"with_itn": 14, "without_itn": 15}
# The special tokens SenseVoice's SentencePiece model has after its pieces (a representative subset).
SPECIAL = ["<|zh|>", "<|en|>", "<|yue|>", "<|ja|>", "<|ko|>", "<|nospeech|>", "<|HAPPY|>", "<|SAD|>", "<|ANGRY|>",
           "<|NEUTRAL|>", "<|EMO_UNKNOWN|>", "<|Speech|>", "<|BGM|>", "<|Laughter|>", "<|Applause|>", "<|withitn|>",
           "<|woitn|>"]
LFR_M, LFR_N, MELS = 7, 6, 80


def tokens():
    """SenseVoice's token list: <unk> (the CTC blank, id 0), <s>, </s>, the BPE pieces, then the special tokens."""
    pieces = sentencepiece_pieces(TOKENIZER)[2:]  # the bundled model's <blank> and <unk> are replaced by SenseVoice's first three
    return ["<unk>", "<s>", "</s>"] + pieces + SPECIAL


def cmvn(gen):
    """Plausible global CMVN statistics of int16-range log-mel fbank, stacked 7 times (what FunASR's am.mvn holds)."""
    mean = 9.0 + 2.0 * torch.rand(MELS, generator=gen) + torch.linspace(2.0, -2.0, MELS)
    std = 2.5 + 1.5 * torch.rand(MELS, generator=gen)
    neg_mean = (-mean).repeat(LFR_M).numpy().astype(np.float32)
    inv_stddev = (1.0 / std).repeat(LFR_M).numpy().astype(np.float32)
    return neg_mean, inv_stddev


def build(family, size, out_dir, seed, check=True):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    vocab = tokens()
    model = SenseVoiceSmall(len(vocab), input_size=MELS * LFR_M, **(FULL if size == "full" else TINY)).eval()
    params = count_params(model)
    d = os.path.join(out_dir, family)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.onnx")
    args = (torch.randn(2, 100, MELS * LFR_M), torch.tensor([80, 100], dtype=torch.int32),
            torch.tensor([0, 4], dtype=torch.int32), torch.tensor([14, 15], dtype=torch.int32))
    export(model, args, path, ["x", "x_length", "language", "text_norm"], ["logits"],
           {"x": {0: "N", 1: "T"}, "x_length": {0: "N"}, "language": {0: "N"}, "text_norm": {0: "N"},
            "logits": {0: "N", 1: "T"}})
    neg_mean, inv_stddev = cmvn(gen)
    add_metadata(path, {
        "lfr_window_size": LFR_M, "lfr_window_shift": LFR_N, "normalize_samples": 0,
        "neg_mean": ",".join(f"{v:.9g}" for v in neg_mean), "inv_stddev": ",".join(f"{v:.9g}" for v in inv_stddev),
        "model_type": "sense_voice_ctc", "version": "2", "model_author": "iic", "maintainer": "k2-fsa",
        "vocab_size": len(vocab), "comment": "asrq zoo: random weights, real-shaped iic/SenseVoiceSmall exported the sherpa-onnx way",
        **{f"lang_{k}": v for k, v in LANGUAGES.items()}, **TEXT_NORM,
        "url": "https://huggingface.co/FunAudioLLM/SenseVoiceSmall",
    })
    with open(os.path.join(d, "tokens.txt"), "w", encoding="utf-8") as fh:
        for i, t in enumerate(vocab):
            fh.write(f"{t} {i}\n")
    diff = None
    if check:
        rng = np.random.default_rng(seed)
        feeds = []
        for n in (60, 97):
            feeds.append({"x": rng.standard_normal((2, n, MELS * LFR_M)).astype(np.float32),
                          "x_length": np.array([n, n - 20], dtype=np.int32),
                          "language": np.array([0, 4], dtype=np.int32), "text_norm": np.array([15, 14], dtype=np.int32)})
        diff = check_with_onnxruntime(path, model, feeds)
    return dict(family=family, size=size, params=params, bytes=os.path.getsize(path), max_abs_diff=diff)
