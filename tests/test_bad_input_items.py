"""The bad-input summary counts distinct files and labels over data workers and ranks, with
the occurrences beside them: an unreadable image met in every epoch is one bad file."""

import datetime
import json
import socket

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp
from conftest import make_word_images

from seqclr_mmocr.datasets import bad_inputs
from seqclr_mmocr.datasets.bad_inputs import (
    count_bad_input,
    local_bad_input_counts,
    local_bad_input_items,
    reset_bad_input_counts,
)


@pytest.fixture
def clean_counts():
    reset_bad_input_counts()
    yield
    reset_bad_input_counts()


def test_two_epochs_over_forked_workers_count_each_bad_file_once(tmp_path, clean_counts):
    from seqclr_mmocr.datasets import ImageFolderDataset

    root = make_word_images(tmp_path / 'words', num=6)
    bad = [root / 'imgs/train' / name for name in ('0001.png', '0004.png')]
    for path in bad:
        path.write_bytes(b'garbage, not a png')
    dataset = ImageFolderDataset(
        data_root=str(root / 'imgs/train'),
        test_mode=True,
        extensions=['.png'],
        pipeline=[dict(type='mmocr.LoadImageSafe', color_type='grayscale', on_error='placeholder')],
    )
    loader = torch.utils.data.DataLoader(dataset, batch_size=2, num_workers=2, collate_fn=list)
    for _ in range(2):
        assert len([s for batch in loader for s in batch]) == 6
    assert local_bad_input_counts()['skipped_images'] == 4
    assert local_bad_input_items()['skipped_images'] == {str(p) for p in bad}


def test_the_summary_line_gives_distinct_items_and_occurrences(monkeypatch, clean_counts):
    lines = []
    monkeypatch.setattr(bad_inputs, 'print_log', lambda message, **kwargs: lines.append(message))
    for path in ('a.png', 'b.png', 'c.png', 'a.png', 'b.png', 'c.png', 'a.png', 'b.png'):
        count_bad_input('skipped_images', item=path)
    for _ in range(4):
        count_bad_input('unknown_char_labels', item='x.png\tcafé')
    counts = bad_inputs.log_bad_input_summary('training run')
    assert counts['skipped_images'] == 8
    (line,) = lines
    assert '3 image(s) skipped as unreadable (8 occurrence(s))' in line
    assert '1 label(s) with characters outside the dictionary (4 occurrence(s))' in line
    assert '0 empty label(s) (0 occurrence(s))' in line


def test_reset_forgets_the_items(clean_counts):
    count_bad_input('empty_labels', item='e.png\t')
    reset_bad_input_counts()
    assert local_bad_input_items()['empty_labels'] == set()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _rank_worker(rank: int, port: int, out_dir: str) -> None:
    torch_dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=2,
        timeout=datetime.timedelta(seconds=60),
    )
    try:
        from seqclr_mmocr.datasets.bad_inputs import bad_input_items_over_ranks

        # Both ranks meet shared.png; each meets one file of its own.
        for path in ('shared.png', f'rank{rank}.png', 'shared.png'):
            count_bad_input('skipped_images', item=path)
        items = bad_input_items_over_ranks()
        with open(f'{out_dir}/rank{rank}.json', 'w') as f:
            json.dump(sorted(items['skipped_images']), f)
    finally:
        torch_dist.destroy_process_group()


@pytest.mark.slow
def test_distinct_items_are_united_over_two_ranks(tmp_path):
    mp.spawn(_rank_worker, args=(_free_port(), str(tmp_path)), nprocs=2, join=True)
    expected = ['rank0.png', 'rank1.png', 'shared.png']
    for rank in range(2):
        assert json.loads((tmp_path / f'rank{rank}.json').read_text()) == expected
