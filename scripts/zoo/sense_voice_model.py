"""SenseVoiceSmall (FunASR's CTC model) restated in plain torch, as sherpa-onnx exports it.

The structure and attribute names follow FunASR's funasr/models/sense_voice (SenseVoiceEncoderSmall
of EncoderLayerSANM blocks: MultiHeadedAttentionSANM = fused q/k/v projection + an FSMN memory
block (depthwise Conv1d) beside dot-product attention, then a ReLU feed-forward), so initializers
and node names come out as in the real export: `encoder.encoders0.0.self_attn.linear_q_k_v`,
`/encoder/encoders.0/self_attn/fsmn_block/Conv`, `ctc.ctc_lo`, `embed.weight`. The forward is
the one sherpa-onnx's scripts/sense-voice/export-onnx.py traces: the language, event/emotion and
text-normalisation queries are looked up in `embed` and prepended to the features (4 frames), the
lengths grow by 4, and the CTC projection's logits are returned (not log-softmaxed).
"""
import math

import torch
from torch import nn


def sinusoidal_positions(length, depth, dtype):
    """FunASR's SinusoidalPositionEncoder for positions 1..length: [sin | cos] halves, depth values."""
    positions = torch.arange(1, length + 1, dtype=dtype)
    increment = math.log(10000.0) / (depth / 2 - 1)
    inv_timescales = torch.exp(torch.arange(depth // 2, dtype=dtype) * -increment)
    scaled = positions[:, None] * inv_timescales[None, :]
    return torch.cat([torch.sin(scaled), torch.cos(scaled)], dim=1)[None]


class FeedForward(nn.Module):
    def __init__(self, size, hidden):
        super().__init__()
        self.w_1 = nn.Linear(size, hidden)
        self.w_2 = nn.Linear(hidden, size)
        self.activation = nn.ReLU()

    def forward(self, x):
        return self.w_2(self.activation(self.w_1(x)))


class MultiHeadedAttentionSANM(nn.Module):
    """Self-attention plus an FSMN memory (a depthwise convolution over the values)."""

    def __init__(self, heads, in_size, size, kernel_size):
        super().__init__()
        self.d_k = size // heads
        self.h = heads
        self.linear_out = nn.Linear(size, size)
        self.linear_q_k_v = nn.Linear(in_size, size * 3)
        self.fsmn_block = nn.Conv1d(size, size, kernel_size, stride=1, padding=0, groups=size, bias=False)
        left = (kernel_size - 1) // 2
        self.pad_fn = nn.ConstantPad1d((left, kernel_size - 1 - left), 0.0)

    def memory(self, values, mask):
        masked = values * mask.transpose(1, 2)  # mask [B, 1, T] -> [B, T, 1]
        out = self.fsmn_block(self.pad_fn(masked.transpose(1, 2))).transpose(1, 2)
        return (out + masked) * mask.transpose(1, 2)

    def forward(self, x, mask):
        b, t, _ = x.size()
        q, k, v = torch.split(self.linear_q_k_v(x), self.h * self.d_k, dim=-1)
        heads = lambda z: z.reshape(b, t, self.h, self.d_k).transpose(1, 2)  # noqa: E731
        scores = torch.matmul(heads(q) * self.d_k ** -0.5, heads(k).transpose(-2, -1))
        pad = mask.unsqueeze(1).eq(0)  # [B, 1, 1, T]
        attn = torch.softmax(scores.masked_fill(pad, -float("inf")), dim=-1).masked_fill(pad, 0.0)
        context = torch.matmul(attn, heads(v)).transpose(1, 2).reshape(b, t, self.h * self.d_k)
        return self.linear_out(context) + self.memory(v, mask)


class EncoderLayerSANM(nn.Module):
    def __init__(self, in_size, size, heads, hidden, kernel_size):
        super().__init__()
        self.self_attn = MultiHeadedAttentionSANM(heads, in_size, size, kernel_size)
        self.feed_forward = FeedForward(size, hidden)
        self.norm1 = nn.LayerNorm(in_size, eps=1e-12)  # FunASR's LayerNorm default
        self.norm2 = nn.LayerNorm(size, eps=1e-12)
        self.in_size, self.size = in_size, size

    def forward(self, x, mask):
        attended = self.self_attn(self.norm1(x), mask)
        x = x + attended if self.in_size == self.size else attended  # the first block changes width: no residual
        return x + self.feed_forward(self.norm2(x))


class SenseVoiceEncoderSmall(nn.Module):
    def __init__(self, input_size, output_size, heads, hidden, blocks, tp_blocks, kernel_size):
        super().__init__()
        self.output_size = output_size
        layer = lambda i: EncoderLayerSANM(i, output_size, heads, hidden, kernel_size)  # noqa: E731
        self.encoders0 = nn.ModuleList([layer(input_size)])
        self.encoders = nn.ModuleList([layer(output_size) for _ in range(blocks - 1)])
        self.tp_encoders = nn.ModuleList([layer(output_size) for _ in range(tp_blocks)])
        self.after_norm = nn.LayerNorm(output_size, eps=1e-12)
        self.tp_norm = nn.LayerNorm(output_size, eps=1e-12)

    def forward(self, x, lengths):
        t = x.size(1)
        mask = (torch.arange(t)[None, :] < lengths[:, None]).to(x.dtype)[:, None, :]  # [B, 1, T]
        x = x * self.output_size ** 0.5
        x = x + sinusoidal_positions(t, x.size(2), x.dtype)
        for layer in self.encoders0:
            x = layer(x, mask)
        for layer in self.encoders:
            x = layer(x, mask)
        x = self.after_norm(x)
        for layer in self.tp_encoders:
            x = layer(x, mask)
        return self.tp_norm(x)


class CTC(nn.Module):
    def __init__(self, vocab, size):
        super().__init__()
        self.ctc_lo = nn.Linear(size, vocab)


class SenseVoiceSmall(nn.Module):
    """(x [N, T, 560], x_length, language, text_norm: int32 [N]) -> logits [N, 4 + T, vocab]."""

    PROMPT_ROWS = 16  # 7 event/emotion rows + 7 languages + 2 text-normalisation ids, as SenseVoiceSmall's embed

    def __init__(self, vocab, input_size=560, output_size=512, heads=4, hidden=2048, blocks=50, tp_blocks=20,
                 kernel_size=11):
        super().__init__()
        self.embed = nn.Embedding(self.PROMPT_ROWS, input_size)
        self.encoder = SenseVoiceEncoderSmall(input_size, output_size, heads, hidden, blocks, tp_blocks, kernel_size)
        self.ctc = CTC(vocab, output_size)

    def forward(self, x, x_length, language, text_norm):
        language_query = self.embed(language.long()).unsqueeze(1)
        text_norm_query = self.embed(text_norm.long()).unsqueeze(1)
        event_emotion = self.embed(torch.tensor([[1, 2]], dtype=torch.long)).repeat(x.size(0), 1, 1)
        x = torch.cat((language_query, event_emotion, text_norm_query, x), dim=1)
        encoded = self.encoder(x, x_length + 4)
        return self.ctc.ctc_lo(encoded)
