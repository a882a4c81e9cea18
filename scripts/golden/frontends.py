#!/usr/bin/python3
"""Golden values for @asrq/frontend, computed with the reference implementations.

Run once (needs Debian's python3-torch, python3-torchaudio and flac; nothing else):
    /usr/bin/python3 scripts/golden/frontends.py
Writes packages/frontend/test/fixtures/golden.json (what was computed, with which settings,
where in the binary file) and golden.f32 (little-endian float32: each clip's input samples,
then each output, row-major [frames, dim]).

References:
- kaldi-fbank: torchaudio.compliance.kaldi.fbank, called with the asrq config's options.
- nemo-mel: NeMo's FilterbankFeatures.forward at inference (no dither), restated below in torch
  step by step after nemo/collections/asr/parts/preprocessing/features.py (NeMo >= 2.4:
  constant-padded centred STFT, seq_len = (len + 2*(n_fft//2) - n_fft) // hop; and the older
  reflect-padded variant whose seq_len is one more). The Slaney filterbank comes from
  torchaudio.functional.melscale_fbanks(norm='slaney', mel_scale='slaney'), which equals
  librosa.filters.mel(htk=False, norm='slaney') that NeMo calls.
- hf-normalize: transformers' Wav2Vec2FeatureExtractor.zero_mean_unit_var_norm restated in
  numpy: (x - x.mean()) / np.sqrt(x.var() + 1e-7) on float32.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import wave

import numpy as np
import torch
import torchaudio

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CORPUS = os.path.join(ROOT, 'packages', 'fixtures', 'corpus', 'dev-mini')
OUT = os.path.join(ROOT, 'packages', 'frontend', 'test', 'fixtures')
SR = 16000


def read_flac(path):
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = os.path.join(tmp, 'a.wav')
        subprocess.run(['flac', '-d', '-s', '-f', '-o', wav_path, path], check=True)
        with wave.open(wav_path, 'rb') as w:
            assert w.getframerate() == SR and w.getnchannels() == 1 and w.getsampwidth() == 2
            pcm = np.frombuffer(w.readframes(w.getnframes()), dtype='<i2')
    return pcm.astype(np.float32) / 32768.0


def chirp(n):
    t = np.arange(n, dtype=np.float64) / SR
    f0, f1, dur = 100.0, 7000.0, n / SR
    phase = 2 * math.pi * (f0 * t + (f1 - f0) * t * t / (2 * dur))
    return (0.5 * np.sin(phase)).astype(np.float32)


# asrq kaldi-fbank config -> torchaudio.compliance.kaldi.fbank keyword arguments.
KALDI_KEYS = {
    'frameShiftMs': 'frame_shift', 'frameLengthMs': 'frame_length', 'preemphasisCoefficient': 'preemphasis_coefficient',
    'removeDcOffset': 'remove_dc_offset', 'windowType': 'window_type', 'roundToPowerOfTwo': 'round_to_power_of_two',
    'snipEdges': 'snip_edges', 'numMelBins': 'num_mel_bins', 'lowFreq': 'low_freq', 'highFreq': 'high_freq',
    'useEnergy': 'use_energy', 'rawEnergy': 'raw_energy', 'energyFloor': 'energy_floor', 'usePower': 'use_power',
}


def kaldi_fbank(x, config):
    scale = config.get('sampleScale', 1)
    kwargs = {'num_mel_bins': 80, 'dither': 0.0}
    for key, value in config.items():
        if key in KALDI_KEYS:
            kwargs[KALDI_KEYS[key]] = value
    wave_in = torch.from_numpy(x * np.float32(scale))[None]
    return torchaudio.compliance.kaldi.fbank(wave_in, **kwargs).numpy()


def nemo_mel(x, features=80, n_fft=512, win=320, hop=160, preemph=0.97, guard=2 ** -24, pad_mode='constant', drop_last=True):
    """NeMo FilterbankFeatures.forward for one utterance, eval mode, normalize='per_feature'."""
    signal = torch.from_numpy(x)[None]
    seq_len_time = torch.tensor([signal.shape[1]])
    seq_len = torch.div(seq_len_time + n_fft // 2 * 2 - n_fft, hop, rounding_mode='floor') + (0 if drop_last else 1)
    timemask = torch.arange(signal.shape[1]).unsqueeze(0) < seq_len_time.unsqueeze(1)
    signal = torch.cat((signal[:, 0].unsqueeze(1), signal[:, 1:] - preemph * signal[:, :-1]), dim=1)
    signal = signal.masked_fill(~timemask, 0.0)
    window = torch.hann_window(win, periodic=False)
    spec = torch.stft(signal, n_fft=n_fft, hop_length=hop, win_length=win, center=True, window=window,
                      return_complex=True, pad_mode=pad_mode)
    spec = torch.view_as_real(spec)
    spec = torch.sqrt(spec.pow(2).sum(-1))
    spec = spec.pow(2.0)
    fb = torchaudio.functional.melscale_fbanks(n_fft // 2 + 1, 0.0, SR / 2, features, SR, norm='slaney', mel_scale='slaney')
    mel = torch.matmul(fb.T.unsqueeze(0), spec)
    mel = torch.log(mel + guard)
    # normalize_batch(x, seq_len, 'per_feature')
    max_time = mel.shape[2]
    valid = torch.arange(max_time).unsqueeze(0) < seq_len.unsqueeze(1)
    mean = torch.where(valid.unsqueeze(1), mel, 0.0).sum(axis=2) / valid.sum(axis=1).unsqueeze(1)
    std = torch.sqrt(torch.sum(torch.where(valid.unsqueeze(1), mel - mean.unsqueeze(2), 0.0) ** 2, axis=2)
                     / (valid.sum(axis=1).unsqueeze(1) - 1.0))
    std = std.masked_fill(std.isnan(), 0.0) + 1e-5
    mel = (mel - mean.unsqueeze(2)) / std.unsqueeze(2)
    return mel[0, :, : int(seq_len[0])].T.contiguous().numpy()


def sherpa_nemo_fbank(x, num_bins=80):
    """sherpa-onnx's features for NeMo CTC exports: kaldi-native-fbank with is_librosa (Slaney mel
    scale and norm, Nyquist bin included), knf's periodic 'hann' window, no DC removal, 0 Hz to
    Nyquist, snip_edges false, then NemoNormalizePerFeature (population std + 1e-5). Framing,
    edge reflection and per-frame pre-emphasis come from torchaudio's Kaldi compliance code with a
    rectangular window; the periodic hann window is applied after it (the window is the last step)."""
    wave_in = torch.from_numpy(x)
    frames, _ = torchaudio.compliance.kaldi._get_window(
        wave_in, 512, 400, 160, 'rectangular', 0.42, False, True, 1.0, 0.0, False, 0.97)
    window = torch.zeros(512)
    window[:400] = torch.hann_window(400, periodic=True)
    power = torch.fft.rfft(frames * window).abs().pow(2.0)
    fb = torchaudio.functional.melscale_fbanks(257, 0.0, SR / 2, num_bins, SR, norm='slaney', mel_scale='slaney')
    feats = torch.matmul(power, fb).clamp(min=torch.finfo(torch.float).eps).log()
    mean = feats.mean(dim=0)
    var = ((feats ** 2).mean(dim=0) - mean ** 2).clamp(min=0.0)
    return ((feats - mean) / (var.sqrt() + 1e-5)).numpy()


def hf_normalize(x):
    return ((x - x.mean()) / np.sqrt(x.var() + 1e-7)).astype(np.float32)


def main():
    clips = [
        ('138-1001-0031', read_flac(os.path.join(CORPUS, '138', '1001', '138-1001-0031.flac'))[8000:8000 + 16000]),
        ('108-1000-0021', read_flac(os.path.join(CORPUS, '108', '1000', '108-1000-0021.flac'))[4000:4000 + 19237]),
        ('chirp', chirp(12837)),
    ]
    sherpa = {'sampleScale': 32768, 'snipEdges': False, 'highFreq': -400, 'lowFreq': 20}
    blobs = []
    offset = 0
    manifest = {'generatedBy': 'scripts/golden/frontends.py', 'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'clips': []}

    def add(array):
        nonlocal offset
        array = np.ascontiguousarray(array, dtype='<f4')
        blobs.append(array.tobytes())
        start = offset
        offset += array.size
        return start

    for name, audio in clips:
        entry = {'name': name, 'samples': int(audio.size), 'offset': add(audio), 'outputs': []}

        def output(frontend, config, array, reference):
            entry['outputs'].append({'frontend': frontend, 'config': config, 'reference': reference,
                                     'frames': int(array.shape[0]), 'dim': int(array.shape[1]) if array.ndim > 1 else 1,
                                     'offset': add(array)})

        output('kaldi-fbank', {}, kaldi_fbank(audio, {}), 'torchaudio.compliance.kaldi.fbank(w, num_mel_bins=80, dither=0.0)')
        output('kaldi-fbank', sherpa, kaldi_fbank(audio, sherpa), 'torchaudio.compliance.kaldi.fbank(w * 32768, num_mel_bins=80, dither=0.0, snip_edges=False, low_freq=20, high_freq=-400)')
        output('nemo-mel', {}, nemo_mel(audio), 'NeMo FilterbankFeatures (>= 2.4), features=80, eval')
        output('hf-normalize', {}, hf_normalize(audio), 'Wav2Vec2FeatureExtractor zero_mean_unit_var_norm')
        if name == '138-1001-0031':
            cfg = {'useEnergy': True}
            output('kaldi-fbank', cfg, kaldi_fbank(audio, cfg), 'torchaudio fbank, num_mel_bins=80, dither=0, use_energy=True')
            cfg = {'features': 64, 'stftPadMode': 'reflect', 'dropLastFrame': False}
            output('nemo-mel', cfg, nemo_mel(audio, features=64, pad_mode='reflect', drop_last=False), 'NeMo FilterbankFeatures (< 2.4: reflect pad, seq_len + 1), features=64, eval')
        if name != 'chirp':
            cfg = {'snipEdges': False, 'lowFreq': 0, 'highFreq': 0, 'isLibrosa': True, 'removeDcOffset': False, 'windowType': 'hann', 'normalize': 'per_feature'}
            output('kaldi-fbank', cfg, sherpa_nemo_fbank(audio), 'sherpa-onnx NeMo CTC features (knf is_librosa, hann, per_feature) built from torchaudio parts')
        if name == 'chirp':
            cfg = {'windowType': 'hamming', 'roundToPowerOfTwo': False, 'usePower': False, 'numMelBins': 40, 'lowFreq': 0, 'highFreq': 7000,
                   'useEnergy': True, 'rawEnergy': False, 'energyFloor': 0}
            output('kaldi-fbank', cfg, kaldi_fbank(audio, cfg), 'torchaudio fbank: hamming, 400-point FFT, magnitude, 40 bins 0-7000 Hz, windowed energy')
        manifest['clips'].append(entry)

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'golden.f32'), 'wb') as f:
        for blob in blobs:
            f.write(blob)
    with open(os.path.join(OUT, 'golden.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'wrote {offset} floats ({offset * 4} bytes) for {len(clips)} clips to {OUT}', file=sys.stderr)


if __name__ == '__main__':
    main()
