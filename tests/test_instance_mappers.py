# Copyright (c) seqclr-mmocr contributors. All rights reserved.
"""Instance mappers: hand-computed values, padding isolation, torch pooling."""

import pytest
import torch
import torch.nn.functional as F
from mmocr.registry import MODELS

from seqclr_mmocr.models.instance_mappers.all_to_instance import AllToInstance
from seqclr_mmocr.models.instance_mappers.fixed_window_to_instance import FixedWindowToInstance
from seqclr_mmocr.models.instance_mappers.frame_to_instance import FrameToInstance
from seqclr_mmocr.models.instance_mappers.window_to_instance import WindowToInstance

GARBAGE = 1e6


def _frames_with_garbage_padding():
    """Two images, T = 5, F = 2; image 0 has 3 valid frames, image 1 all 5."""
    frames = torch.tensor(
        [
            [[1.0, 2.0], [3.0, 4.0], [5.0, 9.0], [GARBAGE, GARBAGE], [GARBAGE, -GARBAGE]],
            [[0.0, 0.0], [2.0, -2.0], [4.0, 4.0], [6.0, 2.0], [8.0, 6.0]],
        ]
    )
    lengths = torch.tensor([3, 5])
    return frames, lengths


def test_all_to_instance_averages_each_images_valid_frames_only():
    frames, lengths = _frames_with_garbage_padding()
    instances, image_index = AllToInstance()(frames, lengths)
    expected = torch.tensor([[3.0, 5.0], [4.0, 2.0]])
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 1]


def test_frame_to_instance_returns_every_valid_frame_in_order():
    frames, lengths = _frames_with_garbage_padding()
    instances, image_index = FrameToInstance()(frames, lengths)
    expected = torch.tensor(
        [
            [1.0, 2.0],
            [3.0, 4.0],
            [5.0, 9.0],
            [0.0, 0.0],
            [2.0, -2.0],
            [4.0, 4.0],
            [6.0, 2.0],
            [8.0, 6.0],
        ]
    )
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 0, 0, 1, 1, 1, 1, 1]


def test_window_to_instance_uses_adaptive_pooling_bins_per_valid_length():
    frames, lengths = _frames_with_garbage_padding()
    instances, image_index = WindowToInstance(num_windows=2)(frames, lengths)
    # image 0, L=3: bins [0, 2) and [1, 3); image 1, L=5: [0, 3) and [2, 5)
    expected = torch.tensor([[2.0, 3.0], [4.0, 6.5], [2.0, 2.0 / 3.0], [6.0, 4.0]])
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 0, 1, 1]


def test_window_to_instance_short_image_yields_one_instance_per_frame():
    frames, lengths = _frames_with_garbage_padding()
    instances, image_index = WindowToInstance(num_windows=4)(frames, lengths)
    # image 0 (L=3 < 4): its 3 frames; image 1 (L=5): bins [0,2) [1,3) [2,4)
    # [3,5)
    expected = torch.tensor(
        [[1.0, 2.0], [3.0, 4.0], [5.0, 9.0], [1.0, -1.0], [3.0, 1.0], [5.0, 3.0], [7.0, 4.0]]
    )
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_fixed_window_drops_remainder_and_averages_short_images():
    frames, lengths = _frames_with_garbage_padding()
    instances, image_index = FixedWindowToInstance(window=2)(frames, lengths)
    # image 0 (L=3): [0, 2), frame 2 dropped; image 1 (L=5): [0, 2), [2, 4)
    expected = torch.tensor([[2.0, 3.0], [1.0, -1.0], [5.0, 3.0]])
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 1, 1]

    instances, image_index = FixedWindowToInstance(window=4)(frames, lengths)
    # image 0 (L=3 < W=4): one instance, the mean of its 3 frames
    expected = torch.tensor([[3.0, 5.0], [3.0, 1.0]])
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [0, 1]


def _random_batch(lengths, num_frames=23, num_features=6, seed=0):
    generator = torch.Generator().manual_seed(seed)
    frames = torch.randn(len(lengths), num_frames, num_features, generator=generator)
    lengths = torch.tensor(lengths)
    padding = torch.arange(num_frames)[None, :] >= lengths[:, None]
    frames[padding] = GARBAGE
    return frames, lengths


@pytest.mark.parametrize('num_windows', [1, 3, 5, 7])
def test_window_to_instance_matches_adaptive_avg_pool1d_per_image(num_windows):
    frames, lengths = _random_batch([7, 23, 12, 9, 16])
    instances, image_index = WindowToInstance(num_windows)(frames, lengths)
    expected = torch.cat(
        [
            F.adaptive_avg_pool1d(frames[i, :length].t()[None], num_windows)[0].t()
            for i, length in enumerate(lengths.tolist())
        ]
    )
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [i for i in range(len(lengths)) for _ in range(num_windows)]


@pytest.mark.parametrize('window', [1, 2, 4])
def test_fixed_window_matches_avg_pool1d_per_image(window):
    frames, lengths = _random_batch([7, 23, 12, 9, 4])
    instances, image_index = FixedWindowToInstance(window)(frames, lengths)
    expected = torch.cat(
        [
            F.avg_pool1d(frames[i, :length].t()[None], window, window)[0].t()
            for i, length in enumerate(lengths.tolist())
        ]
    )
    torch.testing.assert_close(instances, expected)
    assert image_index.tolist() == [
        i for i, length in enumerate(lengths.tolist()) for _ in range(length // window)
    ]


@pytest.mark.parametrize(
    'mapper',
    [AllToInstance(), FrameToInstance(), WindowToInstance(5), FixedWindowToInstance(3)],
    ids=lambda m: type(m).__name__,
)
def test_gradients_reach_only_valid_frames(mapper):
    frames, lengths = _random_batch([2, 11, 23, 6])
    frames.requires_grad_(True)
    instances, _ = mapper(frames, lengths)
    instances.sum().backward()
    valid = torch.arange(frames.shape[1])[None, :] < lengths[:, None]
    assert frames.grad[~valid].abs().max() == 0
    if not isinstance(mapper, FixedWindowToInstance):
        # every valid frame is in some window (fixed windows drop remainders)
        assert (frames.grad[valid] > 0).all()
    else:
        assert frames.grad[0, :2].gt(0).all()  # L=2 < W=3: one instance
        assert frames.grad[1, :9].gt(0).all()
        assert frames.grad[1, 9:11].abs().max() == 0  # dropped remainder


@pytest.mark.parametrize(
    'mapper',
    [AllToInstance(), FrameToInstance(), WindowToInstance(5), FixedWindowToInstance(3)],
    ids=lambda m: type(m).__name__,
)
def test_non_finite_padding_never_leaks(mapper):
    frames, lengths = _random_batch([3, 11, 23, 6])
    valid = torch.arange(frames.shape[1])[None, :] < lengths[:, None]
    clean = frames.clone()
    clean[~valid] = 0
    frames[~valid] = float('nan')
    frames[0, 4] = float('inf')
    frames.requires_grad_(True)
    instances, image_index = mapper(frames, lengths)
    expected, expected_index = mapper(clean, lengths)
    torch.testing.assert_close(instances, expected)
    assert torch.equal(image_index, expected_index)
    instances.sum().backward()
    assert torch.isfinite(frames.grad).all()


def test_views_with_same_lengths_give_aligned_instances():
    frames_a, lengths = _random_batch([4, 17, 9], seed=1)
    frames_b, _ = _random_batch([4, 17, 9], seed=2)
    mapper = WindowToInstance(5)
    _, index_a = mapper(frames_a, lengths)
    _, index_b = mapper(frames_b, lengths)
    assert torch.equal(index_a, index_b)
    assert index_a.tolist() == [0] * 4 + [1] * 5 + [2] * 5


def test_mappers_are_registered_and_keep_dtype():
    mapper = MODELS.build(dict(type='WindowToInstance', num_windows=3))
    assert isinstance(mapper, WindowToInstance) and mapper.num_windows == 3
    for name in ('AllToInstance', 'FrameToInstance'):
        assert MODELS.get(name) is not None
    assert isinstance(
        MODELS.build(dict(type='FixedWindowToInstance', window=2)), FixedWindowToInstance
    )
    frames, lengths = _random_batch([5, 8])
    instances, _ = mapper(frames.half(), lengths)
    assert instances.dtype == torch.float16


@pytest.mark.parametrize(
    'lengths, message',
    [
        (torch.tensor([0, 3]), 'lengths must lie in'),
        (torch.tensor([3, 24]), 'lengths must lie in'),
        (torch.tensor([3.0, 4.0]), 'lengths must be integers'),
        (torch.tensor([3, 4, 5]), 'lengths must have shape'),
    ],
)
def test_invalid_lengths_raise_clear_errors(lengths, message):
    frames, _ = _random_batch([5, 8])
    with pytest.raises(ValueError, match=message):
        WindowToInstance(5)(frames, lengths)


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match='num_windows'):
        WindowToInstance(0)
    with pytest.raises(ValueError, match='window'):
        FixedWindowToInstance(0)
    with pytest.raises(ValueError, match='frames must be'):
        AllToInstance()(torch.zeros(2, 3), torch.tensor([1, 2]))
