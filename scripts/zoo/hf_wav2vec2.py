"""transformers' Wav2Vec2ForCTC / HubertForCTC rewritten in plain torch (same module names and maths).

Mirrors transformers/models/wav2vec2/modeling_wav2vec2.py: group-norm (base) or layer-norm
(large-lv60) conv feature encoder, feature projection, convolutional positional embedding with
weight norm (dim=2) and grouped conv, post-LN (base) or pre-LN "stable layer norm" (large)
transformer layers, lm_head. HuBERT differs only in the top-level attribute name (`hubert`) and
in its feature projection (optional layer norm, no second output).
"""
import math
from types import SimpleNamespace

import torch
from torch import nn


class NoLayerNormConvLayer(nn.Module):
    def __init__(self, c, i):
        super().__init__()
        cin = c.conv_dim[i - 1] if i > 0 else 1
        self.conv = nn.Conv1d(cin, c.conv_dim[i], c.conv_kernel[i], stride=c.conv_stride[i], bias=c.conv_bias)
        self.activation = nn.GELU()

    def forward(self, x):
        return self.activation(self.conv(x))


class LayerNormConvLayer(nn.Module):
    def __init__(self, c, i):
        super().__init__()
        cin = c.conv_dim[i - 1] if i > 0 else 1
        self.conv = nn.Conv1d(cin, c.conv_dim[i], c.conv_kernel[i], stride=c.conv_stride[i], bias=c.conv_bias)
        self.layer_norm = nn.LayerNorm(c.conv_dim[i], elementwise_affine=True)
        self.activation = nn.GELU()

    def forward(self, x):
        x = self.conv(x)
        x = self.layer_norm(x.transpose(-2, -1)).transpose(-2, -1)
        return self.activation(x)


class GroupNormConvLayer(nn.Module):
    def __init__(self, c, i):
        super().__init__()
        cin = c.conv_dim[i - 1] if i > 0 else 1
        self.conv = nn.Conv1d(cin, c.conv_dim[i], c.conv_kernel[i], stride=c.conv_stride[i], bias=c.conv_bias)
        self.activation = nn.GELU()
        self.layer_norm = nn.GroupNorm(c.conv_dim[i], c.conv_dim[i], affine=True)

    def forward(self, x):
        return self.activation(self.layer_norm(self.conv(x)))


class FeatureEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        n = len(c.conv_dim)
        if c.feat_extract_norm == "group":
            layers = [GroupNormConvLayer(c, 0)] + [NoLayerNormConvLayer(c, i) for i in range(1, n)]
        else:
            layers = [LayerNormConvLayer(c, i) for i in range(n)]
        self.conv_layers = nn.ModuleList(layers)

    def forward(self, input_values):
        x = input_values[:, None]
        for layer in self.conv_layers:
            x = layer(x)
        return x


class FeatureProjection(nn.Module):
    def __init__(self, c, with_layer_norm=True):
        super().__init__()
        self.with_layer_norm = with_layer_norm
        if with_layer_norm:
            self.layer_norm = nn.LayerNorm(c.conv_dim[-1], eps=c.layer_norm_eps)
        self.projection = nn.Linear(c.conv_dim[-1], c.hidden_size)
        self.dropout = nn.Dropout(c.feat_proj_dropout)

    def forward(self, x):
        if self.with_layer_norm:
            x = self.layer_norm(x)
        return self.dropout(self.projection(x))


class SamePadLayer(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.num_pad_remove = 1 if k % 2 == 0 else 0

    def forward(self, x):
        return x[:, :, : -self.num_pad_remove] if self.num_pad_remove > 0 else x


class PositionalConvEmbedding(nn.Module):
    def __init__(self, c):
        super().__init__()
        k = c.num_conv_pos_embeddings
        conv = nn.Conv1d(c.hidden_size, c.hidden_size, k, padding=k // 2, groups=c.num_conv_pos_embedding_groups)
        self.conv = nn.utils.weight_norm(conv, name="weight", dim=2)
        self.padding = SamePadLayer(k)
        self.activation = nn.GELU()

    def forward(self, x):
        x = self.activation(self.padding(self.conv(x.transpose(1, 2))))
        return x.transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c.hidden_size
        self.num_heads = c.num_attention_heads
        self.head_dim = d // self.num_heads
        self.scaling = self.head_dim**-0.5
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.q_proj = nn.Linear(d, d)
        self.out_proj = nn.Linear(d, d)

    def forward(self, x, attention_mask=None):
        b, t, _ = x.shape
        shape = (b, t, -1, self.head_dim)
        q = self.q_proj(x).view(shape).transpose(1, 2)
        k = self.k_proj(x).view(shape).transpose(1, 2)
        v = self.v_proj(x).view(shape).transpose(1, 2)
        w = torch.matmul(q, k.transpose(2, 3)) * self.scaling
        if attention_mask is not None:
            w = w + attention_mask
        w = nn.functional.softmax(w, dim=-1)
        out = torch.matmul(w, v).transpose(1, 2).reshape(b, t, -1)
        return self.out_proj(out)


class FeedForward(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.intermediate_dropout = nn.Dropout(c.activation_dropout)
        self.intermediate_dense = nn.Linear(c.hidden_size, c.intermediate_size)
        self.intermediate_act_fn = nn.GELU()
        self.output_dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.output_dropout = nn.Dropout(c.hidden_dropout)

    def forward(self, x):
        x = self.intermediate_dropout(self.intermediate_act_fn(self.intermediate_dense(x)))
        return self.output_dropout(self.output_dense(x))


class EncoderLayer(nn.Module):
    """Post-LN layer (Wav2Vec2EncoderLayer) or pre-LN (Wav2Vec2EncoderLayerStableLayerNorm)."""

    def __init__(self, c):
        super().__init__()
        self.stable = c.do_stable_layer_norm
        self.attention = Attention(c)
        self.dropout = nn.Dropout(c.hidden_dropout)
        self.layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.feed_forward = FeedForward(c)
        self.final_layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, x, attention_mask=None):
        residual = x
        if self.stable:
            x = self.attention(self.layer_norm(x), attention_mask)
            x = residual + self.dropout(x)
            return x + self.feed_forward(self.final_layer_norm(x))
        x = residual + self.dropout(self.attention(x, attention_mask))
        x = self.layer_norm(x)
        x = x + self.feed_forward(x)
        return self.final_layer_norm(x)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.stable = c.do_stable_layer_norm
        self.pos_conv_embed = PositionalConvEmbedding(c)
        self.layer_norm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout)
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c.num_hidden_layers)])

    def forward(self, x, frame_mask=None):
        additive = None
        if frame_mask is not None:
            # padded frames are zeroed, then masked out of every attention row (additive large negative)
            x = x.masked_fill(~frame_mask.unsqueeze(-1), 0.0)
            additive = (1.0 - frame_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            additive = additive.expand(x.shape[0], 1, x.shape[1], x.shape[1])
        x = x + self.pos_conv_embed(x)
        if not self.stable:
            x = self.layer_norm(x)
        x = self.dropout(x)
        for layer in self.layers:
            x = layer(x, additive)
        if self.stable:
            x = self.layer_norm(x)
        return x


class Wav2Vec2Model(nn.Module):
    def __init__(self, c, hubert=False):
        super().__init__()
        self.c = c
        self.feature_extractor = FeatureEncoder(c)
        self.feature_projection = FeatureProjection(c, with_layer_norm=(not hubert) or c.feat_proj_layer_norm)
        # transformers creates this when mask_time_prob > 0: a parameter of every real checkpoint
        self.masked_spec_embed = nn.Parameter(torch.Tensor(c.hidden_size).uniform_())
        self.encoder = Encoder(c)

    def feat_lengths(self, lengths):
        for k, s in zip(self.c.conv_kernel, self.c.conv_stride):
            lengths = torch.div(lengths - k, s, rounding_mode="floor") + 1
        return lengths

    def forward(self, input_values, attention_mask=None):
        feats = self.feature_extractor(input_values).transpose(1, 2)
        frame_mask = None
        if attention_mask is not None:
            lengths = self.feat_lengths(attention_mask.sum(-1))
            frame_mask = torch.arange(feats.shape[1], device=feats.device)[None, :] < lengths[:, None]
        return self.encoder(self.feature_projection(feats), frame_mask)


class ForCTC(nn.Module):
    """Wav2Vec2ForCTC (attribute `wav2vec2`) or HubertForCTC (attribute `hubert`)."""

    def __init__(self, c, hubert=False):
        super().__init__()
        self.base_name = "hubert" if hubert else "wav2vec2"
        setattr(self, self.base_name, Wav2Vec2Model(c, hubert))
        self.dropout = nn.Dropout(c.final_dropout)
        self.lm_head = nn.Linear(c.hidden_size, c.vocab_size)

    def forward(self, input_values, attention_mask=None):
        hidden = getattr(self, self.base_name)(input_values, attention_mask)
        return self.lm_head(self.dropout(hidden))


class ForCTCNoMask(ForCTC):
    """Export wrapper signature for checkpoints whose feature extractor returns no attention mask."""

    def forward(self, input_values):
        return super().forward(input_values, None)
