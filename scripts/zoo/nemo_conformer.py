"""NeMo's ConformerEncoder + ConvASRDecoder (EncDecCTCModelBPE) rewritten in plain torch.

Mirrors nemo/collections/asr/modules/conformer_encoder.py and parts/submodules/{subsampling,
multi_head_attention, conformer_modules}.py: ConvSubsampling 'striding' (two 3x3 stride-2 Conv2d
+ ReLU, then `out` Linear), RelPositionalEncoding (x * sqrt(d_model), a fixed pe table of
2*max_len-1 positions sliced around its centre), ConformerLayer (macaron FFN halves,
RelPositionMultiHeadAttention with pos_bias_u/v and linear_pos, ConformerConvolution with
pointwise GLU, depthwise conv, BatchNorm, Swish), ConvASRDecoder (1x1 Conv1d, log_softmax).
"""
import math

import torch
from torch import nn


def calc_length(lengths, all_paddings, kernel_size, stride, repeat_num):
    add_pad = all_paddings - kernel_size
    lengths = lengths.to(torch.float)
    for _ in range(repeat_num):
        lengths = torch.floor(torch.div(lengths + add_pad, stride) + 1.0)
    return lengths.to(torch.int64)


class ConvSubsampling(nn.Module):
    def __init__(self, feat_in, feat_out, conv_channels, factor=4):
        super().__init__()
        self.num_layers = int(math.log2(factor))
        layers, cin = [], 1
        for _ in range(self.num_layers):
            layers += [nn.Conv2d(cin, conv_channels, kernel_size=3, stride=2, padding=1), nn.ReLU(True)]
            cin = conv_channels
        self.conv = nn.Sequential(*layers)
        out_len = feat_in
        for _ in range(self.num_layers):
            out_len = (out_len + 2 - 3) // 2 + 1
        self.out = nn.Linear(conv_channels * out_len, feat_out)

    def forward(self, x, lengths):
        lengths = calc_length(lengths, 2, 3, 2, self.num_layers)
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.size()
        x = self.out(x.transpose(1, 2).reshape(b, t, -1))
        return x, lengths


class RelPositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len, xscale):
        super().__init__()
        self.xscale = xscale
        self.dropout = nn.Dropout(0.1)
        positions = torch.arange(max_len - 1, -max_len, -1, dtype=torch.float32).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2, dtype=torch.float32) * -(math.log(10000.0) / d_model))
        pe = torch.zeros(positions.size(0), d_model)
        pe[:, 0::2] = torch.sin(positions * div_term)
        pe[:, 1::2] = torch.cos(positions * div_term)
        self.register_buffer("pe", pe.unsqueeze(0), persistent=False)

    def forward(self, x):
        if self.xscale:
            x = x * self.xscale
        input_len = x.size(1)
        center_pos = self.pe.size(1) // 2 + 1
        pos_emb = self.pe[:, center_pos - input_len : center_pos + input_len - 1]
        return self.dropout(x), pos_emb


class RelPositionMultiHeadAttention(nn.Module):
    def __init__(self, n_head, n_feat):
        super().__init__()
        self.d_k = n_feat // n_head
        self.s_d_k = math.sqrt(self.d_k)
        self.h = n_head
        self.linear_q = nn.Linear(n_feat, n_feat)
        self.linear_k = nn.Linear(n_feat, n_feat)
        self.linear_v = nn.Linear(n_feat, n_feat)
        self.linear_out = nn.Linear(n_feat, n_feat)
        self.dropout = nn.Dropout(0.1)
        self.linear_pos = nn.Linear(n_feat, n_feat, bias=False)
        self.pos_bias_u = nn.Parameter(torch.randn(self.h, self.d_k) * 0.02)
        self.pos_bias_v = nn.Parameter(torch.randn(self.h, self.d_k) * 0.02)

    @staticmethod
    def rel_shift(x):
        b, h, qlen, pos_len = x.size()
        x = nn.functional.pad(x, pad=(1, 0))
        x = x.view(b, h, -1, qlen)
        return x[:, :, 1:].view(b, h, qlen, pos_len)

    def forward(self, query, key, value, mask, pos_emb):
        n_batch = query.size(0)
        q = self.linear_q(query).view(n_batch, -1, self.h, self.d_k)
        k = self.linear_k(key).view(n_batch, -1, self.h, self.d_k).transpose(1, 2)
        v = self.linear_v(value).view(n_batch, -1, self.h, self.d_k).transpose(1, 2)
        p = self.linear_pos(pos_emb).view(pos_emb.size(0), -1, self.h, self.d_k).transpose(1, 2)
        q_with_bias_u = (q + self.pos_bias_u).transpose(1, 2)
        q_with_bias_v = (q + self.pos_bias_v).transpose(1, 2)
        matrix_bd = self.rel_shift(torch.matmul(q_with_bias_v, p.transpose(-2, -1)))
        matrix_ac = torch.matmul(q_with_bias_u, k.transpose(-2, -1))
        matrix_bd = matrix_bd[:, :, :, : matrix_ac.size(-1)]
        scores = (matrix_ac + matrix_bd) / self.s_d_k
        mask = mask.unsqueeze(1)
        scores = scores.masked_fill(mask, -10000.0)
        attn = torch.softmax(scores, dim=-1).masked_fill(mask, 0.0)
        x = torch.matmul(self.dropout(attn), v)
        x = x.transpose(1, 2).reshape(n_batch, -1, self.h * self.d_k)
        return self.linear_out(x)


class Swish(nn.SiLU):
    pass


class ConformerFeedForward(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.linear1 = nn.Linear(d_model, d_ff)
        self.activation = Swish()
        self.dropout = nn.Dropout(0.1)
        self.linear2 = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.linear2(self.dropout(self.activation(self.linear1(x))))


class ConformerConvolution(nn.Module):
    def __init__(self, d_model, kernel_size):
        super().__init__()
        self.pointwise_conv1 = nn.Conv1d(d_model, d_model * 2, kernel_size=1)
        self.depthwise_conv = nn.Conv1d(d_model, d_model, kernel_size, padding=(kernel_size - 1) // 2, groups=d_model)
        self.batch_norm = nn.BatchNorm1d(d_model)
        self.activation = Swish()
        self.pointwise_conv2 = nn.Conv1d(d_model, d_model, kernel_size=1)

    def forward(self, x, pad_mask):
        x = self.pointwise_conv1(x.transpose(1, 2))
        x = nn.functional.glu(x, dim=1)
        x = x.masked_fill(pad_mask.unsqueeze(1), 0.0)
        x = self.activation(self.batch_norm(self.depthwise_conv(x)))
        return self.pointwise_conv2(x).transpose(1, 2)


class ConformerLayer(nn.Module):
    def __init__(self, d_model, d_ff, n_heads, conv_kernel_size):
        super().__init__()
        self.fc_factor = 0.5
        self.norm_feed_forward1 = nn.LayerNorm(d_model)
        self.feed_forward1 = ConformerFeedForward(d_model, d_ff)
        self.norm_conv = nn.LayerNorm(d_model)
        self.conv = ConformerConvolution(d_model, conv_kernel_size)
        self.norm_self_att = nn.LayerNorm(d_model)
        self.self_attn = RelPositionMultiHeadAttention(n_heads, d_model)
        self.norm_feed_forward2 = nn.LayerNorm(d_model)
        self.feed_forward2 = ConformerFeedForward(d_model, d_ff)
        self.dropout = nn.Dropout(0.1)
        self.norm_out = nn.LayerNorm(d_model)

    def forward(self, x, att_mask, pos_emb, pad_mask):
        residual = x
        x = self.feed_forward1(self.norm_feed_forward1(x))
        residual = residual + self.dropout(x) * self.fc_factor
        x = self.norm_self_att(residual)
        x = self.self_attn(x, x, x, att_mask, pos_emb)
        residual = residual + self.dropout(x)
        x = self.conv(self.norm_conv(residual), pad_mask)
        residual = residual + self.dropout(x)
        x = self.feed_forward2(self.norm_feed_forward2(residual))
        residual = residual + self.dropout(x) * self.fc_factor
        return self.norm_out(residual)


class ConformerEncoder(nn.Module):
    def __init__(self, feat_in, n_layers, d_model, n_heads, ff_expansion_factor=4, conv_kernel_size=31,
                 subsampling_factor=4, subsampling_conv_channels=-1, pos_emb_max_len=5000, xscaling=True):
        super().__init__()
        ch = d_model if subsampling_conv_channels == -1 else subsampling_conv_channels
        self.pre_encode = ConvSubsampling(feat_in, d_model, ch, subsampling_factor)
        self.pos_enc = RelPositionalEncoding(d_model, pos_emb_max_len, math.sqrt(d_model) if xscaling else None)
        self.layers = nn.ModuleList(
            [ConformerLayer(d_model, d_model * ff_expansion_factor, n_heads, conv_kernel_size) for _ in range(n_layers)]
        )

    def forward(self, audio_signal, length):
        x, length = self.pre_encode(audio_signal.transpose(1, 2), length)
        x, pos_emb = self.pos_enc(x)
        t = x.size(1)
        valid = torch.arange(t, device=x.device).expand(length.size(0), -1) < length.unsqueeze(-1)
        att_mask = valid.unsqueeze(1).repeat([1, t, 1])
        att_mask = ~torch.logical_and(att_mask, att_mask.transpose(1, 2))
        pad_mask = ~valid
        for layer in self.layers:
            x = layer(x, att_mask, pos_emb, pad_mask)
        return x.transpose(1, 2), length


class ConvASRDecoder(nn.Module):
    def __init__(self, feat_in, num_classes):
        super().__init__()
        self.decoder_layers = nn.Sequential(nn.Conv1d(feat_in, num_classes, kernel_size=1, bias=True))

    def forward(self, encoder_output):
        return nn.functional.log_softmax(self.decoder_layers(encoder_output).transpose(1, 2), dim=-1)


class EncDecCTCModel(nn.Module):
    """What NeMo's export writes for an EncDecCTCModel(BPE): (audio_signal, length) -> logprobs."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, audio_signal, length):
        encoded, _ = self.encoder(audio_signal, length)
        return self.decoder(encoded)
