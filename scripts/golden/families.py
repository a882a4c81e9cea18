#!/usr/bin/python3
"""Golden log-probs of every tiny zoo family, fed the way the family's own pipeline feeds it.

Run once, with onnxruntime's Python wheel in a venv that also sees Debian's python3-torch,
python3-torchaudio and python3-yaml (flac must be on PATH):
    /usr/bin/python3 -m venv --system-site-packages /tmp/ortpy
    /tmp/ortpy/bin/pip install --no-index --find-links <wheel-folder> onnxruntime onnx
    /tmp/ortpy/bin/python scripts/golden/families.py
Writes packages/runtime/test/fixtures/families-golden/golden.json (per family and clip: the
pipeline, the input shape and lengths it fed, the output frames, where the log-probs start) and
golden.f32 (little-endian float32 log-probs, row-major [frames, vocab], one block per entry).
packages/runtime/test/families-golden.test.ts compares CtcModel.forward with them.

Each family's input is computed as its own pipeline computes it, with the reference front ends
of scripts/golden/frontends.py (imported, not copied):
- transformers (Wav2Vec2FeatureExtractor, preprocessor_config.json): zero-mean unit-variance
  samples when do_normalize, an all-ones attention_mask when return_attention_mask; logits are
  log-softmaxed, every output frame is kept.
- NeMo (model_config.yaml preprocessor): FilterbankFeatures at inference, NeMo >= 2.4: the STFT
  gives len // hop + 1 frames of which seq_len = len // hop are valid; the rest is set to
  pad_value and the time axis is padded to a multiple of pad_to; the model gets [1, F, T] and
  `length` = seq_len. NeMo decodes the encoder's `encoded_len` frames, computed here with the
  encoder's own length formula (ConvSubsampling 'striding', or the strided first JasperBlock).
  When feeding only the seq_len valid frames (padded to pad_to) would change those frames, that
  output is stored too, as the entry's `variant`, so a difference can be traced to that frame.
- sherpa-onnx NeMo CTC export (metadata model_type EncDecCTCModelBPE, normalize_type
  per_feature): kaldi-native-fbank with is_librosa, hann, no DC removal, 0 Hz to Nyquist,
  snip_edges false, then NemoNormalizePerFeature; [1, T, 80] transposed to [1, 80, T],
  length T. sherpa-onnx decodes T // subsampling_factor frames (offline-nemo-enc-dec-ctc-model.cc).
- icefall Zipformer CTC in sherpa-onnx (model_type zipformer2_ctc): kaldi fbank on samples in
  [-1, 1] with sherpa's FeatureExtractorConfig defaults (= lhotse's Fbank that icefall trains
  on): 80 bins, 20 Hz to Nyquist - 400, povey window, DC removal, pre-emphasis 0.97, snip_edges
  false, dither 0, no normalisation; [1, T, 80] + x_lens; the model's log_probs_len is decoded.
- SenseVoice in sherpa-onnx (model_type sense_voice_ctc): FunASR's WavFrontend, which sherpa-onnx's
  SenseVoice recognizer reproduces: kaldi fbank of the samples scaled to int16 range
  (normalize_samples 0), 80 bins, Hamming window, 20 Hz to Nyquist, snip_edges true, dither 0;
  then low-frame-rate stacking (apply_lfr with lfr_m/lfr_n from the metadata: the first frame
  repeated (m - 1) // 2 times in front, ceil(T / n) windows of m frames, the last frame repeated
  past the end), then CMVN (x + neg_mean) * inv_stddev from the metadata; [1, T, 560] + x_length,
  language = lang_auto, text_norm = without_itn (int32). The logits' first 4 frames are the prompt
  (language, event, emotion, text normalisation) and are not stored; the next x_length are,
  log-softmaxed (sherpa-onnx decodes greedily, on which log-softmax changes nothing).
- WeNet CTC in sherpa-onnx (model_type wenet_ctc): kaldi fbank with sherpa's defaults (as for the
  Zipformer) on samples scaled to int16 range (sherpa-onnx sets normalize_samples false for WeNet;
  it also sets dither 1, which is noise: 0 here, as asrq uses); [1, T, 80] + x_lens; the
  model's log_probs_lens frames (its global CMVN is inside the graph).
Families whose model takes lengths or an attention mask also get `batches`: both clips in one
run, padded as the pipeline pads a batch (transformers: each row normalised over its own samples,
0 after it, attention_mask; NeMo: pad_value and pad_to; sherpa-onnx: PadSequence with
log(1e-10), the value lhotse pads icefall's training features with; SenseVoice: 0, as
sherpa-onnx pads it; WeNet: 0, as WeNet's own collate pads features: sherpa-onnx decodes WeNet
one utterance at a time).
"""
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frontends import CORPUS, ROOT, SR, hf_normalize, kaldi_fbank, nemo_mel, read_flac, sherpa_nemo_fbank  # noqa: E402

ZOO = os.path.join(ROOT, 'packages', 'fixtures', 'zoo')
OUT = os.path.join(ROOT, 'packages', 'runtime', 'test', 'fixtures', 'families-golden')

# (name, FLAC path relative to dev-mini, first sample, sample count): ~1.5 s, lengths not a
# multiple of the 160-sample hop so every front end's edge handling is exercised.
CLIPS = [
    ('138-1001-0031', '138/1001/138-1001-0031.flac', 8000, 24037),
    ('108-1000-0021', '108/1000/108-1000-0021.flac', 4000, 22411),
]


def session(family):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(os.path.join(ZOO, family, 'model.onnx'), options, providers=['CPUExecutionProvider'])


def log_softmax(x):
    x = x.astype(np.float64)
    m = x.max(axis=-1, keepdims=True)
    return (x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))).astype(np.float32)


def hf_pipeline(family, audio):
    with open(os.path.join(ZOO, family, 'preprocessor_config.json')) as f:
        pre = json.load(f)
    assert pre['sampling_rate'] == SR
    values = hf_normalize(audio) if pre['do_normalize'] else audio
    feeds = {'input_values': values[None]}
    if pre.get('return_attention_mask'):
        feeds['attention_mask'] = np.ones((1, audio.size), dtype=np.int64)
    logits = session(family).run(None, feeds)[0][0]
    scores = log_softmax(logits)
    return {
        'pipeline': 'transformers Wav2Vec2FeatureExtractor(%s) -> %s' % (
            'do_normalize' if pre['do_normalize'] else 'raw', ', '.join(sorted(feeds))),
        'inputShape': [1, int(audio.size)], 'inputs': sorted(feeds), 'scores': scores, 'frames': scores.shape[0],
    }


def nemo_encoded_len(encoder, length):
    """The encoder's output length for `length` valid feature frames, as NeMo computes it."""
    if encoder['_target_'].endswith('ConformerEncoder'):
        assert encoder['subsampling'] == 'striding'
        for _ in range(int(np.log2(encoder['subsampling_factor']))):  # kernel 3, stride 2, padding 1
            length = (length + 2 - 3) // 2 + 1
        return length
    # ConvASREncoder: the strided JasperBlocks' 'same'-padded convolutions.
    for block in encoder['jasper']:
        kernel, stride, dilation = block['kernel'][0], block['stride'][0], block['dilation'][0]
        padding = (dilation * (kernel - 1)) // 2
        for _ in range(block['repeat'] if stride == 1 else 1):
            length = (length + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1
    return length


def nemo_pipeline(family, audio):
    with open(os.path.join(ZOO, family, 'model_config.yaml')) as f:
        config = yaml.safe_load(f)
    pre = config['preprocessor']
    assert pre['sample_rate'] == SR and pre['normalize'] == 'per_feature' and pre.get('pad_value', 0.0) == 0.0
    win, hop = int(pre['window_size'] * SR), int(pre['window_stride'] * SR)
    valid = nemo_mel(audio, features=pre['features'], n_fft=pre['n_fft'], win=win, hop=hop)  # [seq_len, F]
    seq_len = valid.shape[0]
    stft_frames = audio.size // hop + 1  # centred STFT; frames past seq_len are masked to pad_value
    frames = stft_frames
    pad_to = pre.get('pad_to', 16)
    if pad_to and frames % pad_to:
        frames += pad_to - frames % pad_to
    sess = session(family)

    def run(tensor_frames):
        features = np.zeros((1, pre['features'], tensor_frames), dtype=np.float32)  # pad_value 0
        features[0, :, :seq_len] = valid.T
        return sess.run(None, {'audio_signal': features, 'length': np.array([seq_len], dtype=np.int64)})[0][0]

    out = run(frames)
    encoded = nemo_encoded_len(config['encoder'], seq_len)
    assert encoded <= out.shape[0]
    result = {
        'pipeline': 'NeMo FilterbankFeatures (>= 2.4, eval, %d features, %d/%d window/hop, pad_to %s) -> [1, F, T] + length; encoded_len frames'
        % (pre['features'], win, hop, pad_to),
        'inputShape': [1, pre['features'], frames], 'inputLength': seq_len, 'outputFrames': int(out.shape[0]),
        'scores': out[:encoded], 'frames': encoded,
    }
    # The same model fed only the seq_len valid frames (then pad_to), without the masked last STFT
    # frame NeMo keeps: stored when that tensor is shorter and changes the decoded frames, so a
    # difference between asrq and the golden can be traced to exactly this.
    short = seq_len + (-seq_len % pad_to if pad_to else 0)
    if short != frames:
        variant = run(short)[:encoded]
        if variant.shape[0] == encoded and np.abs(variant - out[:encoded]).max() > 1e-4:
            result['variant'] = {'what': 'fed seq_len frames padded to pad_to, without the masked STFT frame', 'inputFrames': short, 'scores': variant}
    return result


def sherpa_nemo_pipeline(family, audio):
    sess = session(family)
    meta = sess.get_modelmeta().custom_metadata_map
    assert meta['model_type'] == 'EncDecCTCModelBPE' and meta['normalize_type'] == 'per_feature'
    feats = sherpa_nemo_fbank(audio)  # [T, 80], normalised per feature
    out = sess.run(None, {'audio_signal': feats.T[None].copy(), 'length': np.array([feats.shape[0]], dtype=np.int64)})[0][0]
    decoded = feats.shape[0] // int(meta['subsampling_factor'])
    return {
        'pipeline': 'sherpa-onnx NeMo CTC: knf fbank (is_librosa, hann, no DC removal, 0..Nyquist, snip_edges false) + per_feature -> [1, 80, T] + length',
        'inputShape': [1, feats.shape[1], feats.shape[0]], 'inputLength': feats.shape[0], 'outputFrames': int(out.shape[0]),
        'sherpaDecodedFrames': decoded, 'scores': out, 'frames': out.shape[0],
    }


def zipformer_pipeline(family, audio):
    sess = session(family)
    assert sess.get_modelmeta().custom_metadata_map['model_type'] == 'zipformer2_ctc'
    feats = kaldi_fbank(audio, {'snipEdges': False, 'lowFreq': 20, 'highFreq': -400})  # [T, 80], samples in [-1, 1]
    log_probs, lens = sess.run(None, {'x': feats[None], 'x_lens': np.array([feats.shape[0]], dtype=np.int64)})
    frames = int(lens[0])
    return {
        'pipeline': 'sherpa-onnx zipformer2_ctc: kaldi fbank (80 bins, 20..-400 Hz, povey, snip_edges false, [-1, 1] samples) -> [1, T, 80] + x_lens; log_probs_len frames',
        'inputShape': [1, feats.shape[0], feats.shape[1]], 'inputLength': feats.shape[0], 'outputFrames': int(log_probs.shape[1]),
        'scores': log_probs[0, :frames], 'frames': frames,
    }


def sense_voice_features(sess, audio):
    """FunASR's WavFrontend with the settings in the model's metadata: fbank, LFR, CMVN."""
    meta = sess.get_modelmeta().custom_metadata_map
    assert meta['model_type'] == 'sense_voice_ctc' and meta['normalize_samples'] == '0'
    fbank = kaldi_fbank(audio, {'windowType': 'hamming', 'sampleScale': 32768, 'snipEdges': True, 'highFreq': 0, 'energyFloor': 0})
    stacked = apply_lfr(fbank, int(meta['lfr_window_size']), int(meta['lfr_window_shift']))
    neg_mean = np.array([float(v) for v in meta['neg_mean'].split(',')], dtype=np.float32)
    inv_stddev = np.array([float(v) for v in meta['inv_stddev'].split(',')], dtype=np.float32)
    return ((stacked + neg_mean) * inv_stddev).astype(np.float32), meta


def apply_lfr(feats, m, n):
    """Low-frame-rate stacking as FunASR's apply_lfr defines it (restated in numpy)."""
    left = (m - 1) // 2
    padded = np.concatenate([np.repeat(feats[:1], left, axis=0), feats], axis=0)
    rows = []
    for i in range(-(-feats.shape[0] // n)):
        window = padded[i * n:i * n + m]
        if window.shape[0] < m:
            window = np.concatenate([window, np.repeat(padded[-1:], m - window.shape[0], axis=0)], axis=0)
        rows.append(window.reshape(-1))
    return np.stack(rows).astype(np.float32)


SENSE_VOICE_PROMPT = 4  # language, event, emotion and text-normalisation queries prepended by the export


def sense_voice_run(sess, meta, x, lengths):
    n = x.shape[0]
    feeds = {'x': x, 'x_length': np.array(lengths, dtype=np.int32),
             'language': np.full(n, int(meta['lang_auto']), dtype=np.int32),
             'text_norm': np.full(n, int(meta['without_itn']), dtype=np.int32)}
    return sess.run(None, feeds)[0]


def sense_voice_pipeline(family, audio):
    sess = session(family)
    feats, meta = sense_voice_features(sess, audio)
    logits = sense_voice_run(sess, meta, feats[None], [feats.shape[0]])[0]
    scores = log_softmax(logits[SENSE_VOICE_PROMPT:SENSE_VOICE_PROMPT + feats.shape[0]])
    return {
        'pipeline': 'sherpa-onnx SenseVoice: FunASR WavFrontend (fbank of int16-range samples, hamming, snip_edges, LFR 7/6, CMVN from metadata) -> [1, T, 560] + x_length, language lang_auto, text_norm without_itn; logits after the 4 prompt frames, log-softmaxed',
        'inputShape': [1, feats.shape[0], feats.shape[1]], 'inputLength': feats.shape[0], 'outputFrames': int(logits.shape[0]),
        'promptFrames': SENSE_VOICE_PROMPT, 'scores': scores, 'frames': feats.shape[0],
    }


def wenet_features(audio):
    return kaldi_fbank(audio, {'snipEdges': False, 'lowFreq': 20, 'highFreq': -400, 'sampleScale': 32768})


def wenet_pipeline(family, audio):
    sess = session(family)
    assert sess.get_modelmeta().custom_metadata_map['model_type'] == 'wenet_ctc'
    feats = wenet_features(audio)
    log_probs, lens = sess.run(None, {'x': feats[None], 'x_lens': np.array([feats.shape[0]], dtype=np.int64)})
    frames = int(lens[0])
    return {
        'pipeline': 'sherpa-onnx wenet_ctc: kaldi fbank (80 bins, 20..-400 Hz, povey, snip_edges false, int16-range samples, dither 0) -> [1, T, 80] + x_lens; log_probs_lens frames',
        'inputShape': [1, feats.shape[0], feats.shape[1]], 'inputLength': feats.shape[0], 'outputFrames': int(log_probs.shape[1]),
        'scores': log_probs[0, :frames], 'frames': frames,
    }


def sense_voice_batch(family, audios):
    sess = session(family)
    feats = [sense_voice_features(sess, a) for a in audios]
    meta = feats[0][1]
    x = np.zeros((len(feats), max(f.shape[0] for f, _ in feats), feats[0][0].shape[1]), dtype=np.float32)
    for i, (f, _) in enumerate(feats):
        x[i, :f.shape[0]] = f
    logits = sense_voice_run(sess, meta, x, [f.shape[0] for f, _ in feats])
    rows = [log_softmax(logits[i, SENSE_VOICE_PROMPT:SENSE_VOICE_PROMPT + f.shape[0]]) for i, (f, _) in enumerate(feats)]
    return 'sherpa-onnx SenseVoice: its features per row, padded with 0 (after CMVN), x_length; the rows after the prompt frames', rows


def wenet_batch(family, audios):
    feats = [wenet_features(a) for a in audios]
    x = np.zeros((len(feats), max(f.shape[0] for f in feats), feats[0].shape[1]), dtype=np.float32)
    for i, f in enumerate(feats):
        x[i, :f.shape[0]] = f
    out, lens = session(family).run(None, {'x': x, 'x_lens': np.array([f.shape[0] for f in feats], dtype=np.int64)})
    return 'WeNet: its features per row, padded with 0 as WeNet collates, x_lens; log_probs_lens frames', [out[i, :int(n)] for i, n in enumerate(lens)]


# Batches: both clips in one run, padded the way each pipeline pads a batch. Only families whose
# model takes lengths or an attention mask (a transformers model without one cannot batch clips
# of different lengths without changing its output).
LOG_EPSILON = -23.025850929940457  # log(1e-10): lhotse's pad_feat_value and sherpa-onnx's PadSequence value


def hf_batch(family, audios):
    with open(os.path.join(ZOO, family, 'preprocessor_config.json')) as f:
        pre = json.load(f)
    if not pre.get('return_attention_mask'):
        return None
    with open(os.path.join(ZOO, family, 'config.json')) as f:
        config = json.load(f)
    width = max(a.size for a in audios)
    values = np.zeros((len(audios), width), dtype=np.float32)  # padding_value 0 after normalisation
    mask = np.zeros((len(audios), width), dtype=np.int64)
    for i, a in enumerate(audios):
        values[i, :a.size] = hf_normalize(a) if pre['do_normalize'] else a  # stats over the row's own samples
        mask[i, :a.size] = 1
    logits = session(family).run(None, {'input_values': values, 'attention_mask': mask})[0]
    rows = []
    for i, a in enumerate(audios):
        frames = a.size
        for kernel, stride in zip(config['conv_kernel'], config['conv_stride']):  # _get_feat_extract_output_lengths
            frames = (frames - kernel) // stride + 1
        rows.append(log_softmax(logits[i, :frames]))
    return 'transformers: rows normalised over their own samples, padded with 0, attention_mask; frames from the conv lengths', rows


def nemo_batch(family, audios):
    with open(os.path.join(ZOO, family, 'model_config.yaml')) as f:
        config = yaml.safe_load(f)
    pre = config['preprocessor']
    win, hop = int(pre['window_size'] * SR), int(pre['window_stride'] * SR)
    valid = [nemo_mel(a, features=pre['features'], n_fft=pre['n_fft'], win=win, hop=hop) for a in audios]
    frames = max(a.size // hop + 1 for a in audios)
    pad_to = pre.get('pad_to', 16)
    if pad_to and frames % pad_to:
        frames += pad_to - frames % pad_to
    features = np.zeros((len(audios), pre['features'], frames), dtype=np.float32)
    for i, v in enumerate(valid):
        features[i, :, :v.shape[0]] = v.T
    lengths = np.array([v.shape[0] for v in valid], dtype=np.int64)
    out = session(family).run(None, {'audio_signal': features, 'length': lengths})[0]
    rows = [out[i, :nemo_encoded_len(config['encoder'], int(n))] for i, n in enumerate(lengths)]
    return 'NeMo: FilterbankFeatures on the batch (masked to pad_value 0, pad_to), lengths; encoded_len frames', rows


def sherpa_batch(family, audios):
    sess = session(family)
    meta = sess.get_modelmeta().custom_metadata_map
    nemo = meta['model_type'] == 'EncDecCTCModelBPE'
    feats = [sherpa_nemo_fbank(a) if nemo else kaldi_fbank(a, {'snipEdges': False, 'lowFreq': 20, 'highFreq': -400}) for a in audios]
    x = np.full((len(feats), max(f.shape[0] for f in feats), feats[0].shape[1]), LOG_EPSILON, dtype=np.float32)
    for i, f in enumerate(feats):
        x[i, :f.shape[0]] = f
    lengths = np.array([f.shape[0] for f in feats], dtype=np.int64)
    if nemo:
        out = sess.run(None, {'audio_signal': x.transpose(0, 2, 1).copy(), 'length': lengths})[0]
        conformer = {'_target_': 'ConformerEncoder', 'subsampling': 'striding', 'subsampling_factor': int(meta['subsampling_factor'])}
        rows = [out[i, :nemo_encoded_len(conformer, int(n))] for i, n in enumerate(lengths)]
    else:
        out, out_lens = sess.run(None, {'x': x, 'x_lens': lengths})
        rows = [out[i, :int(n)] for i, n in enumerate(out_lens)]
    return 'sherpa-onnx: its features per row, PadSequence with log(1e-10), lengths; encoder-length frames', rows


BATCHES = {'hf': hf_batch, 'nemo': nemo_batch, 'sherpa': sherpa_batch}
BATCH_OF = {'sherpa-sense-voice': sense_voice_batch, 'sherpa-wenet-ctc': wenet_batch}


FAMILIES = {
    'hf-wav2vec2-base': hf_pipeline,
    'hf-wav2vec2-large-lv60': hf_pipeline,
    'hf-hubert': hf_pipeline,
    'nemo-conformer-ctc': nemo_pipeline,
    'nemo-quartznet': nemo_pipeline,
    'sherpa-nemo-ctc': sherpa_nemo_pipeline,
    'sherpa-zipformer-ctc': zipformer_pipeline,
    # Appended last, so the golden values of the families above keep their offsets in golden.f32.
    'sherpa-sense-voice': sense_voice_pipeline,
    'sherpa-wenet-ctc': wenet_pipeline,
}


def main():
    clips = [(name, rel, start, count, read_flac(os.path.join(CORPUS, rel))[start:start + count]) for name, rel, start, count in CLIPS]
    manifest = {'generatedBy': 'scripts/golden/families.py', 'onnxruntime': ort.__version__, 'clips': [], 'families': [], 'batches': []}
    for name, rel, start, count, audio in clips:
        assert audio.size == count
        manifest['clips'].append({'name': name, 'path': rel, 'start': start, 'samples': count})
    blobs, offset = [], 0
    for family, pipeline in FAMILIES.items():
        if not os.path.exists(os.path.join(ZOO, family, 'model.onnx')):
            print(f'skipping {family}: not in the zoo', file=sys.stderr)
            continue
        entry = {'family': family, 'clips': []}
        for name, _, _, _, audio in clips:
            result = pipeline(family, audio)
            scores = np.ascontiguousarray(result.pop('scores'), dtype='<f4')
            assert scores.shape == (result['frames'], scores.shape[1]) and np.isfinite(scores).all()
            rows = np.exp(scores.astype(np.float64)).sum(axis=1)
            assert np.abs(rows - 1).max() < 1e-4, f'{family}: rows are not log-probs'
            result.update({'clip': name, 'frames': int(result['frames']), 'vocab': int(scores.shape[1]), 'offset': offset})
            blobs.append(scores.tobytes())
            offset += scores.size
            if 'variant' in result:
                variant = np.ascontiguousarray(result['variant'].pop('scores'), dtype='<f4')
                result['variant']['offset'] = offset
                blobs.append(variant.tobytes())
                offset += variant.size
            entry['clips'].append(result)
        manifest['families'].append(entry)
        batched = (BATCH_OF.get(family) or BATCHES[family.split('-')[0]])(family, [c[4] for c in clips])
        if batched is not None:
            what, rows = batched
            batch = {'family': family, 'pipeline': what, 'rows': []}
            for (name, *_), scores in zip(clips, rows):
                scores = np.ascontiguousarray(scores, dtype='<f4')
                batch['rows'].append({'clip': name, 'frames': int(scores.shape[0]), 'vocab': int(scores.shape[1]), 'offset': offset})
                blobs.append(scores.tobytes())
                offset += scores.size
            manifest['batches'].append(batch)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'golden.f32'), 'wb') as f:
        for blob in blobs:
            f.write(blob)
    with open(os.path.join(OUT, 'golden.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    print(f'wrote {offset} floats ({offset * 4} bytes) for {len(manifest["families"])} families to {OUT}', file=sys.stderr)


if __name__ == '__main__':
    main()
