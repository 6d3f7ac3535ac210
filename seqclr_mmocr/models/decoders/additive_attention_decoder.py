"""The paper's attention decoder (App. A.3): an LSTM cell with additive attention over F."""

import logging
from typing import Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample
from torch import Tensor, nn

from ..utils.sequence_utils import valid_lengths, valid_ratios_from_samples
from .base_frame_decoder import BaseFrameDecoder

LSTMState = Tuple[Tensor, Tensor]


@MODELS.register_module()
class AdditiveAttentionDecoder(BaseFrameDecoder):
    """One-layer LSTM decoder with additive (Bahdanau) attention over the frames F.

    At each output step t' (paper App. A.3, eqs. 4-8):

    - ``e[t', t] = a^T tanh(W s[t'-1] + V f[t] + b)`` over the frames f[t] of F,
    - ``alpha[t'] = softmax_t(e[t', :])`` over the *valid* frames only: the frames of the
      right padding, ``t >= min(T, ceil(T * valid_ratio))`` (MMOCR's rule), get weight 0,
    - glimpse ``g[t'] = sum_t alpha[t', t] f[t]``,
    - ``(x[t'], s[t']) = LSTMCell([g[t'], onehot(y[t'-1])], s[t'-1])``,
    - ``y[t'] = softmax(W0 x[t'] + b0)``.

    Training uses teacher forcing on ``gt_text.padded_indexes`` (``[BOS, c1, ..., cn, EOS,
    PAD, ...]``, built by the module loss): step t' reads token t' and predicts token t'+1,
    so the loss must be ``CEModuleLoss(ignore_first_char=True)`` as in MMOCR's ASTER.
    Testing decodes greedily from BOS and stops early once every word has emitted EOS, so
    the returned length is at most ``max_seq_len``.

    ``max_seq_len`` counts BOS and EOS, so words of up to ``max_seq_len - 2`` characters are
    learned whole. The default 32 (MMOCR's ASTER uses 25) leaves room for long handwritten
    words; longer words are truncated by MMOCR's target builder and a warning is logged.

    The dictionary needs a start and an end token and, for ``CEModuleLoss``, a padding
    token, e.g. ``with_start=True, with_end=True, same_start_end=True, with_padding=True``.

    Args:
        hidden_channels (int): Hidden units of the LSTM cell. Defaults to 256 (paper App. D).
        attn_channels (int, optional): Size of the attention space of W, V and b.
            Defaults to ``hidden_channels``.
        max_seq_len (int): Number of decoding steps, BOS and EOS included. Defaults to 32.
        **kwargs: ``in_channels``, ``dictionary``, ``in_features`` (default 'H'),
            ``module_loss`` (usually ``dict(type='CEModuleLoss', flatten=True,
            ignore_first_char=True)``), ``postprocessor`` (usually
            ``dict(type='AttentionPostprocessor')``) and ``init_cfg`` of
            :class:`BaseFrameDecoder`.

    Example:
        >>> decoder = dict(
        ...     type='AdditiveAttentionDecoder',
        ...     in_channels=256,
        ...     in_features='H',
        ...     hidden_channels=256,
        ...     max_seq_len=32,
        ...     dictionary=dict(type='Dictionary', dict_file='english_95.txt',
        ...                     with_start=True, with_end=True, same_start_end=True,
        ...                     with_padding=True, with_unknown=True),
        ...     module_loss=dict(type='CEModuleLoss', flatten=True, ignore_first_char=True),
        ...     postprocessor=dict(type='AttentionPostprocessor'))
    """

    def __init__(
        self,
        *,
        hidden_channels: int = 256,
        attn_channels: Optional[int] = None,
        max_seq_len: int = 32,
        **kwargs,
    ) -> None:
        super().__init__(max_seq_len=max_seq_len, **kwargs)
        if self.dictionary.start_idx is None or self.dictionary.end_idx is None:
            raise ValueError(
                'AdditiveAttentionDecoder needs start and end tokens: set '
                'with_start=True and with_end=True in decoder.dictionary'
            )
        if max_seq_len < 2:
            raise ValueError(
                f'decoder.max_seq_len must be >= 2 (BOS and EOS count), got {max_seq_len}'
            )
        self.hidden_channels = hidden_channels
        self.num_classes = self.dictionary.num_classes
        attn_channels = attn_channels or hidden_channels

        self.frame_proj = nn.Linear(self.in_channels, attn_channels, bias=False)  # V
        self.hidden_proj = nn.Linear(hidden_channels, attn_channels)  # W and b
        self.score = nn.Linear(attn_channels, 1, bias=False)  # a
        self.cell = nn.LSTMCell(self.in_channels + self.num_classes, hidden_channels)
        self.classifier = nn.Linear(hidden_channels, self.num_classes)  # W0 and b0
        self._warned_truncation = False

    def attend(
        self, frames: Tensor, projected_frames: Tensor, hidden: Tensor, valid_mask: Tensor
    ) -> Tuple[Tensor, Tensor]:
        """Additive attention of one step (eqs. 4-6).

        Args:
            frames (Tensor): Frames F (N, T, in_channels).
            projected_frames (Tensor): ``V F`` (N, T, attn_channels), computed once.
            hidden (Tensor): Previous hidden state s[t'-1] (N, hidden_channels).
            valid_mask (Tensor): Bool (N, T), False on padding frames.

        Returns:
            tuple(Tensor, Tensor): The glimpse g (N, in_channels) and the attention
            weights alpha (N, T).
        """
        energy = torch.tanh(projected_frames + self.hidden_proj(hidden).unsqueeze(1))
        scores = self.score(energy).squeeze(-1)
        weights = scores.masked_fill(~valid_mask, float('-inf')).softmax(dim=1)
        glimpse = torch.bmm(weights.unsqueeze(1), frames).squeeze(1)
        return glimpse, weights

    def step(
        self,
        frames: Tensor,
        projected_frames: Tensor,
        valid_mask: Tensor,
        prev_onehot: Tensor,
        state: LSTMState,
    ) -> Tuple[Tensor, LSTMState]:
        """One decoding step: logits (N, num_classes) and the new LSTM state."""
        glimpse, _ = self.attend(frames, projected_frames, state[0], valid_mask)
        state = self.cell(torch.cat([glimpse, prev_onehot], dim=1), state)
        return self.classifier(state[0]), state

    def _prepare(
        self,
        feat: Optional[Tensor],
        out_enc: Optional[Tensor],
        data_samples: Optional[Sequence[TextRecogDataSample]],
    ) -> Tuple[Tensor, Tensor, Tensor, LSTMState]:
        """Frames, their projection, the valid-frame mask and a zero LSTM state."""
        frames = self.select_frames(feat, out_enc)
        batch_size, num_frames = frames.shape[:2]
        lengths = valid_lengths(
            valid_ratios_from_samples(data_samples), num_frames, batch_size, frames.device
        )
        valid_mask = torch.arange(num_frames, device=frames.device)[None] < lengths[:, None]
        zeros = frames.new_zeros(batch_size, self.hidden_channels)
        return frames, self.frame_proj(frames), valid_mask, (zeros, zeros.clone())

    def _teacher_tokens(
        self, data_samples: Optional[Sequence[TextRecogDataSample]], device: torch.device
    ) -> Tensor:
        """The padded target indexes (N, max_seq_len) that teacher forcing feeds back."""
        if not data_samples or any('padded_indexes' not in s.gt_text for s in data_samples):
            raise ValueError(
                'AdditiveAttentionDecoder.forward_train needs gt_text.padded_indexes in every '
                'data sample: set decoder.module_loss (e.g. CEModuleLoss), whose get_targets '
                'builds them, and call the decoder in training mode'
            )
        tokens = torch.stack([s.gt_text.padded_indexes for s in data_samples]).long()
        if tokens.size(1) != self.max_seq_len:
            raise ValueError(
                f'gt_text.padded_indexes have length {tokens.size(1)}, expected '
                f"decoder.max_seq_len={self.max_seq_len}: do not set pad_with='none' in "
                'decoder.module_loss'
            )
        self._warn_if_truncated(data_samples)
        return tokens.to(device)

    def _warn_if_truncated(self, data_samples: Sequence[TextRecogDataSample]) -> None:
        if self._warned_truncation:
            return
        too_long = [
            s.gt_text.item for s in data_samples if len(s.gt_text.indexes) + 2 > self.max_seq_len
        ]
        if too_long:
            self._warned_truncation = True
            print_log(
                f'{len(too_long)} of {len(data_samples)} words in this batch have more than '
                f'decoder.max_seq_len - 2 = {self.max_seq_len - 2} characters and are '
                f'truncated (no EOS is learned for them), e.g. {too_long[:3]}. Raise '
                'decoder.max_seq_len. This warning is shown once.',
                logger='current',
                level=logging.WARNING,
            )

    def forward_train(
        self,
        feat: Optional[Tensor] = None,
        out_enc: Optional[Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
    ) -> Tensor:
        """Teacher-forced raw logits (N, max_seq_len, num_classes); step t' predicts
        ``padded_indexes[:, t' + 1]``."""
        frames, projected, valid_mask, state = self._prepare(feat, out_enc, data_samples)
        tokens = self._teacher_tokens(data_samples, frames.device)
        prev_onehots = F.one_hot(tokens, self.num_classes).to(frames.dtype)
        outputs = []
        for t in range(self.max_seq_len):
            logits, state = self.step(frames, projected, valid_mask, prev_onehots[:, t], state)
            outputs.append(logits)
        return torch.stack(outputs, dim=1)

    def forward_test(
        self,
        feat: Optional[Tensor] = None,
        out_enc: Optional[Tensor] = None,
        data_samples: Optional[Sequence[TextRecogDataSample]] = None,
    ) -> Tensor:
        """Greedy decoding: character probabilities (N, L, num_classes), L <= max_seq_len."""
        frames, projected, valid_mask, state = self._prepare(feat, out_enc, data_samples)
        prev = torch.full(
            (frames.size(0),), self.dictionary.start_idx, dtype=torch.long, device=frames.device
        )
        finished = torch.zeros_like(prev, dtype=torch.bool)
        outputs = []
        for _ in range(self.max_seq_len):
            prev_onehot = F.one_hot(prev, self.num_classes).to(frames.dtype)
            logits, state = self.step(frames, projected, valid_mask, prev_onehot, state)
            outputs.append(logits)
            prev = logits.argmax(dim=-1)
            finished |= prev == self.dictionary.end_idx
            if bool(finished.all()):
                break
        return torch.stack(outputs, dim=1).softmax(dim=-1)
