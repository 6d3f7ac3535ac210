"""A picture of the corpus: a grid of samples per split, captioned with text and font."""

import math
from typing import Dict, List, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def write_sample_sheet(
    path: str, samples: Dict[str, List[Tuple[np.ndarray, str, str]]], columns: int = 6
) -> None:
    """Draw a grid of samples per split, each captioned with its text and font."""
    cell_w, cell_h, image_h, header_h = 230, 92, 64, 26
    caption_font = ImageFont.load_default(size=12)
    header_font = ImageFont.load_default(size=16)
    rows = {split: max(1, math.ceil(len(items) / columns)) for split, items in samples.items()}
    height = sum(header_h + r * cell_h for r in rows.values()) + 8
    sheet = Image.new('L', (columns * cell_w + 8, height), 255)
    draw = ImageDraw.Draw(sheet)
    y = 4
    for split, items in samples.items():
        fonts = sorted({font for _, _, font in items})
        draw.text(
            (6, y + 4), f'{split}  (fonts seen: {", ".join(fonts)})', font=header_font, fill=0
        )
        y += header_h
        for i, (image, text, font) in enumerate(items):
            x0 = 4 + (i % columns) * cell_w
            y0 = y + (i // columns) * cell_h
            crop = Image.fromarray(image, mode='L')
            scale = min(1.0, (cell_w - 10) / crop.width, image_h / crop.height)
            if scale < 1.0:
                crop = crop.resize(
                    (max(1, int(crop.width * scale)), max(1, int(crop.height * scale))),
                    Image.BILINEAR,
                )
            sheet.paste(crop, (x0 + 2, y0 + 2))
            draw.rectangle((x0 + 1, y0 + 1, x0 + 3 + crop.width, y0 + 3 + crop.height), outline=160)
            draw.text((x0 + 2, y0 + image_h + 8), f'{text}  [{font}]', font=caption_font, fill=0)
        y += rows[split] * cell_h
    sheet.save(path)
