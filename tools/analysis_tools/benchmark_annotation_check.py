"""Time the pre-training annotation check (``check_annotation_entries``) on a large
annotation file: N entries, each an image file of its own (hard links to a few small
PNGs, so every entry is stat-ed as a distinct path), with labels, in a temporary directory.

    python tools/analysis_tools/benchmark_annotation_check.py --entries 100000
"""

import argparse
import json
import os
import tempfile
import time

from mmengine.config import Config
from PIL import Image

from seqclr_mmocr.datasets.annotation_checks import check_annotation_entries

LINKS_PER_FILE = 10000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--entries', type=int, default=100000)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, 'imgs'))
        data_list = []
        for i in range(args.entries):
            path = os.path.join(root, 'imgs', f'{i}.png')
            if i % LINKS_PER_FILE == 0:  # file systems cap the links to one inode
                source = path
                Image.new('L', (40, 32), 255).save(source)
            else:
                os.link(source, path)
            data_list.append(dict(img_path=f'imgs/{i}.png', instances=[dict(text='word')]))
        with open(os.path.join(root, 'ann.json'), 'w') as f:
            json.dump(dict(metainfo={}, data_list=data_list), f)
        pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadOCRAnnotations', with_text=True)]
        cfg = Config(
            dict(
                val_dataloader=dict(
                    dataset=dict(
                        type='OCRDataset', data_root=root, ann_file='ann.json', pipeline=pipeline
                    )
                )
            )
        )
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            checked = check_annotation_entries(cfg)
            times.append(time.perf_counter() - start)
        print(
            f'{checked} entries (labels checked): best {min(times):.3f} s, '
            f'median {sorted(times)[len(times) // 2]:.3f} s over {args.repeats} runs'
        )


if __name__ == '__main__':
    main()
