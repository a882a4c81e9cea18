"""NeMo's ConvASREncoder of JasperBlocks (QuartzNet 15x5) rewritten in plain torch.

Mirrors nemo/collections/asr/parts/submodules/jasper.py: MaskedConv1d (zeroes frames past each
utterance's length, 'same' padding, tracks output lengths), separable convs (depthwise k x 1 then
pointwise 1 x 1, no bias) + BatchNorm1d(eps=1e-3), per repeat ReLU + Dropout, a 1x1 conv + BN
residual, `mout` ReLU + Dropout. Module names follow NeMo: encoder.encoder.<i>.mconv.<j>.conv,
encoder.encoder.<i>.res.0.0.conv, decoder.decoder_layers.0.
"""
import torch
from torch import nn


class MaskedConv1d(nn.Module):
    def __init__(self, cin, cout, kernel_size, stride=1, dilation=1, groups=1, bias=False):
        super().__init__()
        padding = (dilation * (kernel_size - 1)) // 2
        self.conv = nn.Conv1d(cin, cout, kernel_size, stride=stride, padding=padding, dilation=dilation,
                              groups=groups, bias=bias)

    def get_seq_len(self, lens):
        c = self.conv
        return torch.div(lens + 2 * c.padding[0] - c.dilation[0] * (c.kernel_size[0] - 1) - 1, c.stride[0],
                         rounding_mode="floor") + 1

    def forward(self, x, lens):
        mask = torch.arange(x.size(2), device=x.device)[None, :] >= lens[:, None]
        x = x.masked_fill(mask.unsqueeze(1), 0.0)
        return self.conv(x), self.get_seq_len(lens)


def conv_bn(cin, cout, kernel_size, stride=1, dilation=1, separable=False):
    if separable:
        layers = [MaskedConv1d(cin, cin, kernel_size, stride, dilation, groups=cin),
                  MaskedConv1d(cin, cout, 1)]
    else:
        layers = [MaskedConv1d(cin, cout, kernel_size, stride, dilation)]
    return layers + [nn.BatchNorm1d(cout, eps=1e-3, momentum=0.1)]


class JasperBlock(nn.Module):
    def __init__(self, cin, cout, repeat, kernel_size, stride=1, dilation=1, residual=True, separable=True,
                 dropout=0.0):
        super().__init__()
        conv, c = [], cin
        for _ in range(repeat - 1):
            conv += conv_bn(c, cout, kernel_size, stride, dilation, separable)
            conv += [nn.ReLU(True), nn.Dropout(dropout)]
            c = cout
        conv += conv_bn(c, cout, kernel_size, stride, dilation, separable)
        self.mconv = nn.ModuleList(conv)
        self.res = nn.ModuleList([nn.ModuleList(conv_bn(cin, cout, 1))]) if residual else None
        self.mout = nn.Sequential(nn.ReLU(True), nn.Dropout(dropout))

    def forward(self, x, lens):
        out, out_lens = x, lens
        for layer in self.mconv:
            if isinstance(layer, MaskedConv1d):
                out, out_lens = layer(out, out_lens)
            else:
                out = layer(out)
        if self.res is not None:
            for res_layers in self.res:
                r = x
                for layer in res_layers:
                    r = layer(r, lens)[0] if isinstance(layer, MaskedConv1d) else layer(r)
                out = out + r
        return self.mout(out), out_lens


class ConvASREncoder(nn.Module):
    def __init__(self, feat_in, blocks):
        super().__init__()
        layers, c = [], feat_in
        for b in blocks:
            layers.append(JasperBlock(c, **b))
            c = b["cout"]
        self.encoder = nn.Sequential(*layers)

    def forward(self, audio_signal, length):
        x = audio_signal
        for block in self.encoder:
            x, length = block(x, length)
        return x, length


def quartznet_blocks(scale):
    """QuartzNet 15x5 (NeMo examples/asr/conf/quartznet/quartznet_15x5.yaml); 'tiny' and 'micro' shrink it."""
    if scale == "full":
        groups = [(256, 33), (256, 39), (512, 51), (512, 63), (512, 75)]
        blocks = [dict(cout=256, repeat=1, kernel_size=33, stride=2, residual=False)]
        for cout, k in groups:
            blocks += [dict(cout=cout, repeat=5, kernel_size=k) for _ in range(3)]
        blocks += [dict(cout=512, repeat=1, kernel_size=87, dilation=2, residual=False),
                   dict(cout=1024, repeat=1, kernel_size=1, residual=False, separable=False)]
        return blocks
    if scale == "micro":  # tiny's five blocks and kernels, two repeats, 32 channels
        return [dict(cout=32, repeat=1, kernel_size=33, stride=2, residual=False),
                dict(cout=32, repeat=2, kernel_size=33),
                dict(cout=32, repeat=2, kernel_size=39),
                dict(cout=32, repeat=1, kernel_size=87, dilation=2, residual=False),
                dict(cout=64, repeat=1, kernel_size=1, residual=False, separable=False)]
    return [dict(cout=128, repeat=1, kernel_size=33, stride=2, residual=False),
            dict(cout=128, repeat=3, kernel_size=33),
            dict(cout=192, repeat=3, kernel_size=39),
            dict(cout=192, repeat=1, kernel_size=87, dilation=2, residual=False),
            dict(cout=384, repeat=1, kernel_size=1, residual=False, separable=False)]
