"""WeNet's Conformer CTC model (wenet/transformer) restated in plain torch, as sherpa-onnx exports it.

Attribute names follow WeNet's ConformerEncoder and CTC, so initializers and node names come out
as in a real export (`encoder.global_cmvn.mean`, `encoder.embed.conv.0.weight`,
`encoder.encoders.0.self_attn.linear_q`, `/encoder/encoders.0/conv_module/depthwise_conv/Conv`,
`ctc.ctc_lo`): GlobalCMVN inside the graph, Conv2dSubsampling4 (two 3x3 stride-2 convolutions
without padding, T' = ((T - 1) // 2 - 1) // 2, the mask subsampled the same way), relative
positional encoding with x * sqrt(d), macaron Conformer blocks (RelPositionMultiHeadedAttention
with pos_bias_u/v and linear_pos, WeNet's variant without rel_shift; a convolution module with
pointwise GLU, depthwise conv, BatchNorm, Swish), after_norm, then CTC log-softmax. The forward is
the one sherpa-onnx's scripts/wenet/export-onnx.py wraps: (x, x_lens) -> (log_probs, log_probs_lens).
"""
import math

import torch
from torch import nn


class GlobalCMVN(nn.Module):
    def __init__(self, mean, istd):
        super().__init__()
        self.register_buffer("mean", mean)
        self.register_buffer("istd", istd)

    def forward(self, x):
        return (x - self.mean) * self.istd


class Conv2dSubsampling4(nn.Module):
    def __init__(self, idim, odim, max_len):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, odim, 3, 2), nn.ReLU(), nn.Conv2d(odim, odim, 3, 2), nn.ReLU())
        self.out = nn.Sequential(nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim))
        self.xscale = math.sqrt(odim)
        position = torch.arange(max_len, dtype=torch.float32)[:, None]
        div = torch.exp(torch.arange(0, odim, 2, dtype=torch.float32) * -(math.log(10000.0) / odim))
        pe = torch.zeros(max_len, odim)
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe[None], persistent=False)

    def forward(self, x, mask):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, c * f)) * self.xscale
        return x, self.pe[:, :t], mask[:, :, 2::2][:, :, 2::2]


class RelPositionMultiHeadedAttention(nn.Module):
    def __init__(self, heads, size):
        super().__init__()
        self.d_k = size // heads
        self.h = heads
        self.linear_q = nn.Linear(size, size)
        self.linear_k = nn.Linear(size, size)
        self.linear_v = nn.Linear(size, size)
        self.linear_out = nn.Linear(size, size)
        self.linear_pos = nn.Linear(size, size, bias=False)
        self.pos_bias_u = nn.Parameter(torch.randn(heads, self.d_k) * 0.02)
        self.pos_bias_v = nn.Parameter(torch.randn(heads, self.d_k) * 0.02)

    def forward(self, x, mask, pos_emb):
        b = x.size(0)
        q = self.linear_q(x).view(b, -1, self.h, self.d_k)
        k = self.linear_k(x).view(b, -1, self.h, self.d_k).transpose(1, 2)
        v = self.linear_v(x).view(b, -1, self.h, self.d_k).transpose(1, 2)
        p = self.linear_pos(pos_emb).view(1, -1, self.h, self.d_k).transpose(1, 2)
        ac = torch.matmul((q + self.pos_bias_u).transpose(1, 2), k.transpose(-2, -1))
        bd = torch.matmul((q + self.pos_bias_v).transpose(1, 2), p.transpose(-2, -1))
        scores = (ac + bd) / math.sqrt(self.d_k)
        pad = mask.unsqueeze(1).eq(0)  # [B, 1, 1, T]
        attn = torch.softmax(scores.masked_fill(pad, -float("inf")), dim=-1).masked_fill(pad, 0.0)
        out = torch.matmul(attn, v).transpose(1, 2).reshape(b, -1, self.h * self.d_k)
        return self.linear_out(out)


class PositionwiseFeedForward(nn.Module):
    def __init__(self, size, hidden):
        super().__init__()
        self.w_1 = nn.Linear(size, hidden)
        self.activation = nn.SiLU()
        self.w_2 = nn.Linear(hidden, size)

    def forward(self, x):
        return self.w_2(self.activation(self.w_1(x)))


class ConvolutionModule(nn.Module):
    def __init__(self, channels, kernel_size):
        super().__init__()
        self.pointwise_conv1 = nn.Conv1d(channels, 2 * channels, 1)
        self.depthwise_conv = nn.Conv1d(channels, channels, kernel_size, padding=(kernel_size - 1) // 2, groups=channels)
        self.norm = nn.BatchNorm1d(channels)
        self.activation = nn.SiLU()
        self.pointwise_conv2 = nn.Conv1d(channels, channels, 1)

    def forward(self, x, mask_pad):
        x = x.transpose(1, 2).masked_fill(~mask_pad, 0.0)
        x = nn.functional.glu(self.pointwise_conv1(x), dim=1)
        x = self.pointwise_conv2(self.activation(self.norm(self.depthwise_conv(x))))
        return x.masked_fill(~mask_pad, 0.0).transpose(1, 2)


class ConformerEncoderLayer(nn.Module):
    def __init__(self, size, heads, hidden, kernel_size):
        super().__init__()
        self.self_attn = RelPositionMultiHeadedAttention(heads, size)
        self.feed_forward = PositionwiseFeedForward(size, hidden)
        self.feed_forward_macaron = PositionwiseFeedForward(size, hidden)
        self.conv_module = ConvolutionModule(size, kernel_size)
        self.norm_ff = nn.LayerNorm(size, eps=1e-5)
        self.norm_mha = nn.LayerNorm(size, eps=1e-5)
        self.norm_ff_macaron = nn.LayerNorm(size, eps=1e-5)
        self.norm_conv = nn.LayerNorm(size, eps=1e-5)
        self.norm_final = nn.LayerNorm(size, eps=1e-5)

    def forward(self, x, mask, pos_emb):
        x = x + 0.5 * self.feed_forward_macaron(self.norm_ff_macaron(x))
        x = x + self.self_attn(self.norm_mha(x), mask, pos_emb)
        x = x + self.conv_module(self.norm_conv(x), mask)
        x = x + 0.5 * self.feed_forward(self.norm_ff(x))
        return self.norm_final(x)


class ConformerEncoder(nn.Module):
    def __init__(self, idim, size, heads, hidden, blocks, kernel_size, mean, istd, max_len):
        super().__init__()
        self.global_cmvn = GlobalCMVN(mean, istd)
        self.embed = Conv2dSubsampling4(idim, size, max_len)
        self.encoders = nn.ModuleList([ConformerEncoderLayer(size, heads, hidden, kernel_size) for _ in range(blocks)])
        self.after_norm = nn.LayerNorm(size, eps=1e-5)

    def forward(self, x, x_lens):
        mask = (torch.arange(x.size(1))[None, :] < x_lens[:, None])[:, None, :]  # [B, 1, T]
        x, pos_emb, mask = self.embed(self.global_cmvn(x), mask)
        for layer in self.encoders:
            x = layer(x, mask, pos_emb)
        return self.after_norm(x), mask


class CTC(nn.Module):
    def __init__(self, vocab, size):
        super().__init__()
        self.ctc_lo = nn.Linear(size, vocab)

    def log_softmax(self, x):
        return nn.functional.log_softmax(self.ctc_lo(x), dim=2)


class OnnxModel(nn.Module):
    """(x [N, T, 80] int16-range fbank, x_lens int64 [N]) -> (log_probs [N, T', vocab], log_probs_lens [N])."""

    def __init__(self, encoder, ctc):
        super().__init__()
        self.encoder = encoder
        self.ctc = ctc

    def forward(self, x, x_lens):
        encoded, mask = self.encoder(x, x_lens)
        return self.ctc.log_softmax(encoded), mask.int().squeeze(1).sum(1)
