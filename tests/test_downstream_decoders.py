"""Downstream decoders over the encoder's frames F in {V, H, (H, V)}: CTCFrameDecoder and
AdditiveAttentionDecoder (paper App. A.2 and A.3)."""

import math
import os.path as osp

import mmocr
import pytest
import torch
from mmengine.structures import LabelData
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from seqclr_mmocr.models.decoders.additive_attention_decoder import AdditiveAttentionDecoder  # noqa: F401  (registers the class)
from seqclr_mmocr.models.decoders.ctc_frame_decoder import CTCFrameDecoder  # noqa: F401

DICT_FILE = osp.join(osp.dirname(mmocr.__file__), '.mim', 'dicts', 'lower_english_digits.txt')
CTC_DICT = dict(type='Dictionary', dict_file=DICT_FILE, with_padding=True)
ATTN_DICT = dict(
    type='Dictionary',
    dict_file=DICT_FILE,
    with_start=True,
    with_end=True,
    same_start_end=True,
    with_padding=True,
    with_unknown=True,
)


def ctc_decoder(in_channels: int, in_features: str) -> CTCFrameDecoder:
    return MODELS.build(
        dict(
            type='CTCFrameDecoder',
            in_channels=in_channels,
            in_features=in_features,
            dictionary=CTC_DICT,
            module_loss=dict(type='CTCModuleLoss'),
            postprocessor=dict(type='CTCPostProcessor'),
        )
    )


def attention_decoder(
    in_channels: int, in_features: str = 'H', hidden: int = 32, attn=None, max_seq_len: int = 8
) -> AdditiveAttentionDecoder:
    return MODELS.build(
        dict(
            type='AdditiveAttentionDecoder',
            in_channels=in_channels,
            in_features=in_features,
            hidden_channels=hidden,
            attn_channels=attn,
            max_seq_len=max_seq_len,
            dictionary=ATTN_DICT,
            module_loss=dict(
                type='CEModuleLoss', flatten=True, ignore_first_char=True, reduction='mean'
            ),
            postprocessor=dict(type='AttentionPostprocessor'),
        )
    )


def samples(words, valid_ratios=None):
    out = []
    for i, word in enumerate(words):
        sample = TextRecogDataSample()
        sample.gt_text = LabelData(item=word)
        sample.set_metainfo(dict(valid_ratio=1.0 if valid_ratios is None else valid_ratios[i]))
        out.append(sample)
    return out


def overfit(decoder, feat, out_enc, words, steps):
    optimizer = torch.optim.Adam(decoder.parameters(), lr=0.02)
    decoder.train()
    losses = []
    for _ in range(steps):
        # MMEngine's parse_losses averages each loss the same way.
        loss = sum(v.mean() for v in decoder.loss(feat, out_enc, samples(words)).values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return losses


# ---------------------------------------------------------------- CTCFrameDecoder


@pytest.mark.parametrize('in_features,in_channels', [('V', 6), ('H', 5), ('HV', 11)])
def test_ctc_logits_have_one_row_per_frame_for_each_feature_choice(in_features, in_channels):
    torch.manual_seed(0)
    feat, out_enc = torch.randn(2, 6, 3, 7), torch.randn(2, 7, 5)
    decoder = ctc_decoder(in_channels, in_features)
    logits = decoder.forward_train(feat, out_enc)
    assert logits.shape == (2, 7, decoder.dictionary.num_classes)

    # Reference: the linear layer applied frame by frame to the chosen F, with V the
    # height-average of each backbone column and H first in (H, V).
    weight, bias = decoder.classifier.weight, decoder.classifier.bias
    for n in range(2):
        for t in range(7):
            visual = [sum(feat[n, c, h, t].item() for h in range(3)) / 3 for c in range(6)]
            contextual = out_enc[n, t].tolist()
            frame = {'V': visual, 'H': contextual, 'HV': contextual + visual}[in_features]
            for k in range(weight.size(0)):
                expected = bias[k].item() + sum(
                    weight[k, i].item() * frame[i] for i in range(in_channels)
                )
                assert logits[n, t, k].item() == pytest.approx(expected, abs=1e-5)


def test_ctc_frame_norm_standardises_each_channel_over_all_frames_of_the_batch():
    torch.manual_seed(0)
    # Frames that barely vary across images (std 1e-3 around channel offsets), as a frozen
    # random encoder gives them.
    out_enc = 0.5 + 1e-3 * torch.randn(4, 6, 3)
    decoder = MODELS.build(
        dict(
            type='CTCFrameDecoder',
            in_channels=3,
            in_features='H',
            frame_norm=True,
            dictionary=dict(
                type='Dictionary', dict_file=DICT_FILE, with_padding=True, with_unknown=True
            ),
        )
    )
    logits = decoder.forward_train(None, out_enc)
    # Reference: each channel minus its mean over the 24 frames, over its (biased) std.
    frames = out_enc.reshape(-1, 3).tolist()
    normed = []
    for c in range(3):
        values = [f[c] for f in frames]
        mean = sum(values) / len(values)
        var = sum((v - mean) ** 2 for v in values) / len(values)
        normed.append([(v - mean) / (var + 1e-5) ** 0.5 for v in values])
    weight, bias = decoder.classifier.weight, decoder.classifier.bias
    for j in range(len(frames)):
        for k in range(weight.size(0)):
            expected = bias[k].item() + sum(weight[k, c].item() * normed[c][j] for c in range(3))
            assert logits.reshape(-1, weight.size(0))[j, k].item() == pytest.approx(
                expected, abs=1e-4
            )
    # In eval mode the running statistics make it a fixed affine map: frames equal across
    # images give equal logits.
    decoder.eval()
    same = decoder.forward_train(None, out_enc[:1].repeat(2, 1, 1))
    assert torch.allclose(same[0], same[1])


def test_ctc_forward_test_returns_probabilities():
    decoder = ctc_decoder(5, 'H').eval()
    probs = decoder(None, torch.randn(2, 7, 5), samples(['ab', 'c']))
    assert torch.allclose(probs.sum(-1), torch.ones(2, 7))


def test_ctc_in_channels_mismatch_names_the_field_and_the_actual_size():
    decoder = ctc_decoder(4, 'HV')
    with pytest.raises(ValueError, match=r'decoder\.in_channels=4.*: 11'):
        decoder.forward_train(torch.randn(2, 6, 1, 7), torch.randn(2, 7, 5))


def test_ctc_missing_encoder_output_names_out_enc():
    decoder = ctc_decoder(5, 'H')
    with pytest.raises(ValueError, match='out_enc'):
        decoder.forward_train(torch.randn(2, 5, 1, 7), None)


def test_ctc_rejects_unknown_in_features():
    with pytest.raises(ValueError, match='decoder.in_features'):
        ctc_decoder(5, 'X')


def test_ctc_overfits_two_words_and_decodes_them():
    torch.manual_seed(0)
    words = ['hand', 'ink']
    out_enc = torch.randn(2, 12, 16)
    decoder = ctc_decoder(16, 'H')
    losses = overfit(decoder, None, out_enc, words, steps=60)
    assert all(math.isfinite(v) for v in losses)
    assert losses[-1] < 0.1 * losses[0]
    decoder.eval()
    predicted = decoder.predict(None, out_enc, samples(words))
    assert [s.pred_text.item for s in predicted] == words


# ---------------------------------------------------------------- AdditiveAttentionDecoder


def reference_attention(decoder, frames, hidden, num_valid):
    """Eqs. 4-6 with python loops: weights (N, T) and glimpses (N, C) as nested lists."""
    W = decoder.hidden_proj.weight.tolist()
    b = decoder.hidden_proj.bias.tolist()
    V = decoder.frame_proj.weight.tolist()
    a = decoder.score.weight[0].tolist()
    all_weights, all_glimpses = [], []
    for n in range(frames.size(0)):
        f = frames[n].tolist()
        s = hidden[n].tolist()
        energies = []
        for t in range(num_valid[n]):
            e = 0.0
            for k in range(len(a)):
                pre = (
                    b[k]
                    + sum(W[k][j] * s[j] for j in range(len(s)))
                    + sum(V[k][i] * f[t][i] for i in range(len(f[t])))
                )
                e += a[k] * math.tanh(pre)
            energies.append(e)
        denominator = sum(math.exp(e) for e in energies)
        weights = [math.exp(e) / denominator for e in energies]
        weights += [0.0] * (len(f) - num_valid[n])
        glimpse = [sum(weights[t] * f[t][i] for t in range(len(f))) for i in range(len(f[0]))]
        all_weights.append(weights)
        all_glimpses.append(glimpse)
    return all_weights, all_glimpses


def test_attention_weights_match_loop_reference_and_ignore_padding_frames():
    torch.manual_seed(0)
    decoder = attention_decoder(in_channels=3, hidden=5, attn=4)
    frames = torch.randn(3, 5, 3)
    hidden = torch.randn(3, 5)
    ratios = [1.0, 0.5, 0.3]
    # MMOCR's rule min(T, ceil(T * valid_ratio)) with T = 5.
    num_valid = [min(5, math.ceil(5 * r)) for r in ratios]
    assert num_valid == [5, 3, 2]
    _, _, valid_mask, _ = decoder._prepare(None, frames, samples(['a', 'b', 'c'], ratios))
    with torch.no_grad():
        glimpse, weights = decoder.attend(frames, decoder.frame_proj(frames), hidden, valid_mask)

    ref_weights, ref_glimpses = reference_attention(decoder, frames, hidden, num_valid)
    assert torch.allclose(weights, torch.tensor(ref_weights), atol=1e-6)
    assert torch.allclose(glimpse, torch.tensor(ref_glimpses), atol=1e-6)
    assert torch.allclose(weights.sum(dim=1), torch.ones(3))
    for n, valid in enumerate(num_valid):
        assert torch.all(weights[n, valid:] == 0)
        assert torch.all(weights[n, :valid] > 0)


def test_attention_output_does_not_depend_on_padding_frames():
    torch.manual_seed(0)
    decoder = attention_decoder(in_channels=4).eval()
    frames = torch.randn(1, 6, 4)
    changed = frames.clone()
    changed[:, 3:] = 100 * torch.randn(1, 3, 4)  # valid_ratio 0.5 -> 3 valid frames
    with torch.no_grad():
        probs = decoder(None, frames, samples(['a'], [0.5]))
        probs_changed = decoder(None, changed, samples(['a'], [0.5]))
        probs_all_valid = decoder(None, changed, samples(['a'], [1.0]))
    assert torch.equal(probs, probs_changed)
    assert not torch.allclose(probs_changed[:, 0], probs_all_valid[:, 0])


@pytest.mark.parametrize('in_features,in_channels', [('V', 6), ('HV', 11)])
def test_attention_reads_the_chosen_frames(in_features, in_channels):
    decoder = attention_decoder(in_channels=in_channels, in_features=in_features).eval()
    probs = decoder(torch.randn(2, 6, 2, 7), torch.randn(2, 7, 5), samples(['a', 'b']))
    assert probs.shape[0] == 2 and probs.shape[2] == decoder.dictionary.num_classes
    with pytest.raises(ValueError, match=r'decoder\.in_channels=3'):
        attention_decoder(in_channels=3, in_features=in_features)(
            torch.randn(2, 6, 2, 7), torch.randn(2, 7, 5), samples(['a', 'b'])
        )


def test_attention_teacher_forced_loss_decreases_and_greedy_decoding_reads_the_words():
    torch.manual_seed(0)
    words = ['hand', 'ink']
    out_enc = torch.randn(2, 10, 16)
    decoder = attention_decoder(in_channels=16, max_seq_len=8)
    logits = decoder.train()(None, out_enc, samples(words))
    assert logits.shape == (2, 8, decoder.dictionary.num_classes)

    losses = overfit(decoder, None, out_enc, words, steps=60)
    assert all(math.isfinite(v) for v in losses)
    assert losses[-1] < 0.1 * losses[0]
    decoder.eval()
    predicted = decoder.predict(None, out_enc, samples(words))
    texts = [s.pred_text.item for s in predicted]
    assert all(isinstance(t, str) for t in texts)
    assert texts == words


def test_attention_teacher_forcing_step_reads_the_previous_target_token_only():
    torch.manual_seed(0)
    decoder = attention_decoder(in_channels=4, max_seq_len=6).train()
    out_enc = torch.randn(1, 5, 4)
    data_samples = decoder.module_loss.get_targets(samples(['abcd']))
    with torch.no_grad():
        logits = decoder.forward_train(None, out_enc, data_samples)
        # Step t reads token t (BOS, a, b, ...): changing token 2 ('b') changes the
        # steps from 2 on and leaves steps 0 and 1 untouched.
        data_samples[0].gt_text.padded_indexes[2] = decoder.dictionary.char2idx('z')
        changed = decoder.forward_train(None, out_enc, data_samples)
    assert torch.equal(logits[:, :2], changed[:, :2])
    assert not torch.allclose(logits[:, 2], changed[:, 2])


def test_attention_greedy_decoding_matches_teacher_forcing_on_its_own_predictions():
    torch.manual_seed(0)
    decoder = attention_decoder(in_channels=4, max_seq_len=6)
    out_enc = torch.randn(2, 5, 4)
    with torch.no_grad():
        probs = decoder.eval()(None, out_enc, samples(['a', 'b']))
        predicted = probs.argmax(-1)
        steps = probs.size(1)
        tokens = torch.full((2, decoder.max_seq_len), decoder.dictionary.padding_idx)
        tokens[:, 0] = decoder.dictionary.start_idx
        tokens[:, 1 : steps + 1] = predicted[:, : decoder.max_seq_len - 1]
        data_samples = samples(['a', 'b'])
        for sample, sample_tokens in zip(data_samples, tokens):
            sample.gt_text.padded_indexes = sample_tokens
            sample.gt_text.indexes = sample_tokens[1 : steps + 1]
        forced = decoder.forward_train(None, out_enc, data_samples)
    assert torch.allclose(forced[:, :steps].softmax(-1), probs, atol=1e-6)


def test_attention_greedy_decoding_stops_once_every_word_has_ended():
    torch.manual_seed(0)
    decoder = attention_decoder(in_channels=4, max_seq_len=8).eval()
    end = decoder.dictionary.end_idx
    with torch.no_grad():
        decoder.classifier.weight.zero_()
        decoder.classifier.bias.fill_(-10.0)
        decoder.classifier.bias[end] = 10.0
        probs = decoder(None, torch.randn(2, 5, 4), samples(['a', 'b']))
    assert probs.shape[1] == 1
    predicted = decoder.postprocessor(probs, samples(['a', 'b']))
    assert [s.pred_text.item for s in predicted] == ['', '']


def test_attention_needs_start_and_end_tokens():
    with pytest.raises(ValueError, match='with_start=True and with_end=True'):
        MODELS.build(dict(type='AdditiveAttentionDecoder', in_channels=4, dictionary=CTC_DICT))


def test_attention_default_max_seq_len_leaves_room_for_long_handwritten_words():
    decoder = MODELS.build(
        dict(
            type='AdditiveAttentionDecoder',
            in_channels=4,
            dictionary=ATTN_DICT,
            module_loss=dict(type='CEModuleLoss', flatten=True, ignore_first_char=True),
        )
    )
    assert decoder.max_seq_len == 32 and decoder.hidden_channels == 256
    word = 'a' * 30  # 30 characters + BOS + EOS = 32 steps
    targets = decoder.module_loss.get_targets(samples([word]))[0].gt_text.padded_indexes
    assert targets[-1].item() == decoder.dictionary.end_idx


def test_attention_flags_words_longer_than_max_seq_len():
    decoder = attention_decoder(in_channels=4, max_seq_len=6).train()
    decoder(None, torch.randn(2, 5, 4), samples(['abcd', 'ink']))  # 4 + BOS + EOS fits
    assert not decoder._warned_truncation
    decoder(None, torch.randn(2, 5, 4), samples(['abcde', 'ink']))
    assert decoder._warned_truncation
