"""icefall's Zipformer2 CTC model (egs/librispeech/ASR/zipformer) rewritten in plain torch, inference only.

Mirrors zipformer/subsampling.py (Conv2dSubsampling with ConvNeXt, BiasNorm), zipformer/zipformer.py
(Zipformer2 stacks at frame rates 1,2,4,8,4,2 with SimpleDownsample/SimpleUpsample and BypassModule,
Zipformer2EncoderLayer: RelPositionMultiheadAttentionWeights shared by NonlinAttention and two
SelfAttention, three FeedforwardModule, two ConvolutionModule, BiasNorm, CompactRelPositionalEncoding)
and model.py's ctc_output (Dropout, Linear, LogSoftmax). Training-only parts (Balancer, Whiten,
ScaleGrad, dropout schedules) are identities at inference and appear here as nn.Identity so module
indices match. SwooshL/SwooshR use the log-add-exp form icefall substitutes for ONNX export.
"""
import math

import torch
from torch import nn


def logaddexp_zero(x):
    # logaddexp(0, x) written with max/abs/log1p/exp and a scalar zero, as icefall's logaddexp_onnx
    zero = torch.tensor(0.0, dtype=x.dtype)
    return torch.max(zero, x) + torch.log1p(torch.exp(-torch.abs(zero - x)))


class SwooshL(nn.Module):
    def forward(self, x):
        return logaddexp_zero(x - 4.0) - 0.08 * x - 0.035


class SwooshR(nn.Module):
    def forward(self, x):
        return logaddexp_zero(x - 1.0) - 0.08 * x - 0.313261687


class BiasNorm(nn.Module):
    def __init__(self, num_channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(num_channels))
        self.log_scale = nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        scales = torch.mean((x - self.bias) ** 2, dim=-1, keepdim=True) ** -0.5 * self.log_scale.exp()
        return x * scales


class ActivationDropoutAndLinear(nn.Module):
    """Activation then Linear in one module (its weight/bias are the module's own), as in icefall's scaling.py."""

    def __init__(self, cin, cout, activation):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(cout, cin) * (cin**-0.5))
        self.bias = nn.Parameter(torch.zeros(cout))
        self.activation = SwooshL() if activation == "SwooshL" else SwooshR()

    def forward(self, x):
        return nn.functional.linear(self.activation(x), self.weight, self.bias)


class ConvNeXt(nn.Module):
    def __init__(self, channels, hidden_ratio=3, kernel_size=7):
        super().__init__()
        hidden = hidden_ratio * channels
        self.depthwise_conv = nn.Conv2d(channels, channels, kernel_size, padding=kernel_size // 2, groups=channels)
        self.pointwise_conv1 = nn.Conv2d(channels, hidden, 1)
        self.hidden_balancer = nn.Identity()
        self.activation = SwooshL()
        self.pointwise_conv2 = nn.Conv2d(hidden, channels, 1)
        self.out_balancer = nn.Identity()

    def forward(self, x):
        bypass = x
        x = self.pointwise_conv2(self.activation(self.pointwise_conv1(self.depthwise_conv(x))))
        return bypass + x


class Conv2dSubsampling(nn.Module):
    """(N, T, idim) -> (N, (T-7)//2, odim)."""

    def __init__(self, in_channels, out_channels, c1=8, c2=32, c3=128):
        super().__init__()
        I = nn.Identity
        self.conv = nn.Sequential(
            nn.Conv2d(1, c1, 3, padding=(0, 1)), I(), I(), SwooshR(),
            nn.Conv2d(c1, c2, 3, stride=2), I(), SwooshR(),
            nn.Conv2d(c2, c3, 3, stride=(1, 2)), I(), SwooshR(),
        )
        self.convnext = ConvNeXt(c3)
        out_width = (((in_channels - 1) // 2) - 1) // 2
        self.out = nn.Linear(out_width * c3, out_channels)
        self.out_norm = BiasNorm(out_channels)

    def forward(self, x, x_lens):
        x = self.convnext(self.conv(x.unsqueeze(1)))
        b, c, t, f = x.size()
        x = self.out_norm(self.out(x.transpose(1, 2).reshape(b, t, c * f)))
        return x, torch.div(x_lens - 7, 2, rounding_mode="floor")


class CompactRelPositionalEncoding(nn.Module):
    def __init__(self, embed_dim, max_len=1000, length_factor=1.0):
        super().__init__()
        t = max_len
        x = torch.arange(-(t - 1), t).to(torch.float32).unsqueeze(1)
        freqs = 1 + torch.arange(embed_dim // 2)
        compression_length = embed_dim**0.5
        x_compressed = compression_length * x.sign() * ((x.abs() + compression_length).log() - math.log(compression_length))
        x_atan = (x_compressed / (length_factor * embed_dim / (2.0 * math.pi))).atan()
        pe = torch.zeros(x.shape[0], embed_dim)
        pe[:, 0::2] = (x_atan * freqs).cos()
        pe[:, 1::2] = (x_atan * freqs).sin()
        pe[:, -1] = 1.0
        self.pe = pe  # a plain attribute in icefall too: traced into a constant

    def forward(self, x):
        mid = self.pe.size(0) // 2
        return self.pe[mid - x.size(0) + 1 : mid + x.size(0), :].unsqueeze(0)


class RelPositionMultiheadAttentionWeights(nn.Module):
    def __init__(self, embed_dim, pos_dim, num_heads, query_head_dim, pos_head_dim):
        super().__init__()
        self.num_heads, self.query_head_dim, self.pos_head_dim = num_heads, query_head_dim, pos_head_dim
        self.in_proj = nn.Linear(embed_dim, (2 * query_head_dim + pos_head_dim) * num_heads)
        self.linear_pos = nn.Linear(pos_dim, num_heads * pos_head_dim, bias=False)

    def forward(self, x, pos_emb, key_padding_mask):
        x = self.in_proj(x)
        h, qd = self.num_heads, self.query_head_dim * self.num_heads
        seq_len, batch_size, _ = x.shape
        q = x[..., 0:qd].reshape(seq_len, batch_size, h, -1).permute(2, 1, 0, 3)
        k = x[..., qd : 2 * qd].reshape(seq_len, batch_size, h, -1).permute(2, 1, 3, 0)
        p = x[..., 2 * qd :].reshape(seq_len, batch_size, h, -1).permute(2, 1, 0, 3)
        attn_scores = torch.matmul(q, k)
        pos_emb = self.linear_pos(pos_emb)
        pos_emb = pos_emb.reshape(-1, 2 * seq_len - 1, h, self.pos_head_dim).permute(2, 0, 3, 1)
        pos_scores = torch.matmul(p, pos_emb)
        # the gather-based relative shift icefall uses when tracing for export
        n = pos_scores.shape[-1]
        rows = torch.arange(start=seq_len - 1, end=-1, step=-1)
        cols = torch.arange(seq_len)
        indexes = rows.repeat(batch_size * h).unsqueeze(-1) + cols
        pos_scores = torch.gather(pos_scores.reshape(-1, n), dim=1, index=indexes)
        attn_scores = attn_scores + pos_scores.reshape(h, batch_size, seq_len, seq_len)
        attn_scores = attn_scores.masked_fill(key_padding_mask.unsqueeze(1), -1000)
        return attn_scores.softmax(dim=-1)


class SelfAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, value_head_dim):
        super().__init__()
        self.in_proj = nn.Linear(embed_dim, num_heads * value_head_dim)
        self.out_proj = nn.Linear(num_heads * value_head_dim, embed_dim)

    def forward(self, x, attn_weights):
        seq_len, batch_size, _ = x.shape
        h = attn_weights.shape[0]
        x = self.in_proj(x).reshape(seq_len, batch_size, h, -1).permute(2, 1, 0, 3)
        x = torch.matmul(attn_weights, x).permute(2, 1, 0, 3).reshape(seq_len, batch_size, -1)
        return self.out_proj(x)


class FeedforwardModule(nn.Module):
    def __init__(self, embed_dim, feedforward_dim):
        super().__init__()
        self.in_proj = nn.Linear(embed_dim, feedforward_dim)
        self.out_proj = ActivationDropoutAndLinear(feedforward_dim, embed_dim, "SwooshL")

    def forward(self, x):
        return self.out_proj(self.in_proj(x))


class NonlinAttention(nn.Module):
    def __init__(self, channels, hidden_channels):
        super().__init__()
        self.in_proj = nn.Linear(channels, hidden_channels * 3)
        self.tanh = nn.Tanh()
        self.out_proj = nn.Linear(hidden_channels, channels)

    def forward(self, x, attn_weights):
        s, x, y = self.in_proj(x).chunk(3, dim=2)
        seq_len, batch_size, _ = x.shape
        x = x * self.tanh(s)
        x = x.reshape(seq_len, batch_size, attn_weights.shape[0], -1).permute(2, 1, 0, 3)
        x = torch.matmul(attn_weights, x).permute(2, 1, 0, 3).reshape(seq_len, batch_size, -1)
        return self.out_proj(x * y)


class ConvolutionModule(nn.Module):
    def __init__(self, channels, kernel_size):
        super().__init__()
        self.in_proj = nn.Linear(channels, 2 * channels)
        self.sigmoid = nn.Sigmoid()
        self.depthwise_conv = nn.Conv1d(channels, channels, kernel_size, padding=kernel_size // 2, groups=channels)
        self.out_proj = ActivationDropoutAndLinear(channels, channels, "SwooshR")

    def forward(self, x, src_key_padding_mask):
        x, s = self.in_proj(x).chunk(2, dim=2)
        x = (x * self.sigmoid(s)).permute(1, 2, 0)
        x = x.masked_fill(src_key_padding_mask.unsqueeze(1).expand_as(x), 0.0)
        return self.out_proj(self.depthwise_conv(x).permute(2, 0, 1))


class BypassModule(nn.Module):
    def __init__(self, embed_dim):
        super().__init__()
        self.bypass_scale = nn.Parameter(torch.full((embed_dim,), 0.5))

    def forward(self, src_orig, src):
        return src_orig + (src - src_orig) * self.bypass_scale


class Zipformer2EncoderLayer(nn.Module):
    def __init__(self, embed_dim, pos_dim, num_heads, query_head_dim, pos_head_dim, value_head_dim,
                 feedforward_dim, cnn_module_kernel):
        super().__init__()
        self.bypass = BypassModule(embed_dim)
        self.bypass_mid = BypassModule(embed_dim)
        self.self_attn_weights = RelPositionMultiheadAttentionWeights(embed_dim, pos_dim, num_heads, query_head_dim,
                                                                      pos_head_dim)
        self.self_attn1 = SelfAttention(embed_dim, num_heads, value_head_dim)
        self.self_attn2 = SelfAttention(embed_dim, num_heads, value_head_dim)
        self.feed_forward1 = FeedforwardModule(embed_dim, (feedforward_dim * 3) // 4)
        self.feed_forward2 = FeedforwardModule(embed_dim, feedforward_dim)
        self.feed_forward3 = FeedforwardModule(embed_dim, (feedforward_dim * 5) // 4)
        self.nonlin_attention = NonlinAttention(embed_dim, hidden_channels=3 * embed_dim // 4)
        self.conv_module1 = ConvolutionModule(embed_dim, cnn_module_kernel)
        self.conv_module2 = ConvolutionModule(embed_dim, cnn_module_kernel)
        self.norm = BiasNorm(embed_dim)

    def forward(self, src, pos_emb, mask):
        src_orig = src
        attn_weights = self.self_attn_weights(src, pos_emb, mask)
        src = src + self.feed_forward1(src)
        src = src + self.nonlin_attention(src, attn_weights[0:1])
        src = src + self.self_attn1(src, attn_weights)
        src = src + self.conv_module1(src, mask)
        src = src + self.feed_forward2(src)
        src = self.bypass_mid(src_orig, src)
        src = src + self.self_attn2(src, attn_weights)
        src = src + self.conv_module2(src, mask)
        src = src + self.feed_forward3(src)
        return self.bypass(src_orig, self.norm(src))


class Zipformer2Encoder(nn.Module):
    def __init__(self, layer_args, num_layers, pos_dim):
        super().__init__()
        self.encoder_pos = CompactRelPositionalEncoding(pos_dim)
        self.layers = nn.ModuleList([Zipformer2EncoderLayer(**layer_args) for _ in range(num_layers)])

    def forward(self, src, mask):
        pos_emb = self.encoder_pos(src)
        for layer in self.layers:
            src = layer(src, pos_emb, mask)
        return src


class SimpleDownsample(nn.Module):
    def __init__(self, downsample):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(downsample))
        self.downsample = downsample

    def forward(self, src):
        seq_len, batch_size, in_channels = src.shape
        ds = self.downsample
        d_seq_len = (seq_len + ds - 1) // ds
        pad = d_seq_len * ds - seq_len
        src = torch.cat((src, src[src.shape[0] - 1 :].expand(pad, src.shape[1], src.shape[2])), dim=0)
        src = src.reshape(d_seq_len, ds, batch_size, in_channels)
        weights = self.bias.softmax(dim=0).unsqueeze(-1).unsqueeze(-1)
        return (src * weights).sum(dim=1)


class SimpleUpsample(nn.Module):
    def __init__(self, upsample):
        super().__init__()
        self.upsample = upsample

    def forward(self, src):
        seq_len, batch_size, num_channels = src.shape
        src = src.unsqueeze(1).expand(seq_len, self.upsample, batch_size, num_channels)
        return src.reshape(seq_len * self.upsample, batch_size, num_channels)


class DownsampledZipformer2Encoder(nn.Module):
    def __init__(self, encoder, dim, downsample):
        super().__init__()
        self.downsample_factor = downsample
        self.downsample = SimpleDownsample(downsample)
        self.encoder = encoder
        self.upsample = SimpleUpsample(downsample)
        self.out_combiner = BypassModule(dim)

    def forward(self, src, mask):
        src_orig = src
        src = self.encoder(self.downsample(src), mask[..., :: self.downsample_factor])
        src = self.upsample(src)[: src_orig.shape[0]]
        return self.out_combiner(src_orig, src)


def convert_num_channels(x, num_channels):
    if num_channels <= x.shape[-1]:
        return x[..., :num_channels]
    zeros = torch.zeros(x.shape[:-1] + (num_channels - x.shape[-1],), dtype=x.dtype, device=x.device)
    return torch.cat((x, zeros), dim=-1)


class Zipformer2(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.encoder_dim = p["encoder_dim"]
        self.downsampling_factor = p["downsampling_factor"]
        encoders = []
        for i, ds in enumerate(self.downsampling_factor):
            layer_args = dict(
                embed_dim=p["encoder_dim"][i], pos_dim=p["pos_dim"], num_heads=p["num_heads"][i],
                query_head_dim=p["query_head_dim"], pos_head_dim=p["pos_head_dim"],
                value_head_dim=p["value_head_dim"], feedforward_dim=p["feedforward_dim"][i],
                cnn_module_kernel=p["cnn_module_kernel"][i],
            )
            enc = Zipformer2Encoder(layer_args, p["num_encoder_layers"][i], p["pos_dim"])
            encoders.append(enc if ds == 1 else DownsampledZipformer2Encoder(enc, p["encoder_dim"][i], ds))
        self.encoders = nn.ModuleList(encoders)
        self.downsample_output = SimpleDownsample(2)

    def forward(self, x, x_lens, mask):
        outputs = []
        for i, module in enumerate(self.encoders):
            x = module(convert_num_channels(x, self.encoder_dim[i]), mask)
            outputs.append(x)
        pieces, cur = [outputs[-1]], self.encoder_dim[-1]
        for i in range(len(self.encoder_dim) - 2, -1, -1):
            if self.encoder_dim[i] > cur:
                pieces.append(outputs[i][..., cur : self.encoder_dim[i]])
                cur = self.encoder_dim[i]
        x = self.downsample_output(torch.cat(pieces, dim=-1))
        return x, torch.div(x_lens + 1, 2, rounding_mode="floor")


class OnnxCtcModel(nn.Module):
    """(x [N, T, 80], x_lens [N]) -> (log_probs [N, T', V], log_probs_len [N]), as icefall's export-onnx-ctc.py."""

    def __init__(self, p, vocab_size):
        super().__init__()
        self.encoder_embed = Conv2dSubsampling(p["feature_dim"], p["encoder_dim"][0], *p.get("embed_channels", ()))
        self.encoder = Zipformer2(p)
        self.ctc_output = nn.Sequential(nn.Dropout(0.1), nn.Linear(max(p["encoder_dim"]), vocab_size),
                                        nn.LogSoftmax(dim=-1))

    def forward(self, x, x_lens):
        x, x_lens = self.encoder_embed(x, x_lens)
        mask = torch.arange(x.shape[1], device=x.device).unsqueeze(0).expand(x.shape[0], -1) >= x_lens.unsqueeze(-1)
        encoder_out, log_probs_len = self.encoder(x.permute(1, 0, 2), x_lens, mask)
        return self.ctc_output(encoder_out.permute(1, 0, 2)), log_probs_len
