"""Rendering of one word as a grayscale handwriting-style crop."""

import math
import zlib
from dataclasses import dataclass
from typing import Dict, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .writers import HandwritingFont

MIN_HEIGHT, MAX_HEIGHT = 32, 64
_SUPERSAMPLING = 2  # ink is drawn at twice the size, for sub-pixel stroke width control
_INK_THRESHOLD = 24  # mask level counted as ink when cropping


@dataclass
class WriterHabit:
    """Per-writer tendencies, so that one writer's samples look alike."""

    slant: float
    spacing: float
    size: float


def _writer_habit(seed: int, font: HandwritingFont) -> WriterHabit:
    # crc32, not hash(): str hashes are salted per process.
    rng = np.random.default_rng([seed, zlib.crc32(font.file_name.encode())])
    return WriterHabit(
        slant=float(rng.normal(0.08, 0.12)),
        spacing=float(rng.uniform(-0.05, 0.15)),
        size=float(rng.uniform(0.9, 1.1)),
    )


def _smooth_field(rng: np.random.Generator, height: int, width: int, cell: int) -> np.ndarray:
    """Low-frequency noise in about [-1, 1]: a coarse random grid upsampled bicubically."""
    grid = rng.standard_normal((height // cell + 2, width // cell + 2)).astype(np.float32)
    image = Image.fromarray(grid, mode='F').resize((width, height), Image.BICUBIC)
    return np.asarray(image)


class HandwritingRenderer:
    """Render one word as a grayscale handwriting-style crop.

    Args:
        seed (int): Corpus seed; sets the per-writer habits.

    Example:
        >>> renderer = HandwritingRenderer(seed=0)
        >>> image = renderer.render('hello', font, np.random.default_rng(0))  # uint8 HxW
    """

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._habits: Dict[str, WriterHabit] = {}

    def habit(self, font: HandwritingFont) -> WriterHabit:
        if font.path not in self._habits:
            self._habits[font.path] = _writer_habit(self.seed, font)
        return self._habits[font.path]

    def render(self, word: str, font: HandwritingFont, rng: np.random.Generator) -> np.ndarray:
        """Render ``word`` with ``font``; returns a uint8 array of height 32..64."""
        habit = self.habit(font)
        ss = _SUPERSAMPLING
        x_height = rng.uniform(10, 17) * habit.size  # in output pixels
        size = max(8, int(round(ss * x_height * font.size_per_x_height)))
        # Stroke width: the font's own, scaled by a random factor and kept within
        # 1.1..3.4 output pixels. At the drawing scale, stroke_width k thickens strokes by
        # k output pixels, and one 3x3 erosion thins them by one.
        native = font.stroke_per_size * size / ss
        target = float(np.clip(native * np.exp(rng.normal(0.1, 0.35)), 1.1, 3.4))
        stroke = max(0, int(round(target - native)))
        mask, baseline = self._draw_ink(word, font.sized(size), ss * x_height, habit, stroke, rng)
        if target - native <= -0.7:
            thinned = mask.filter(ImageFilter.MinFilter(3))
            if np.count_nonzero(np.asarray(thinned) > 127) >= 0.5 * np.count_nonzero(
                np.asarray(mask) > 127
            ):
                mask = thinned
        slant = float(np.clip(habit.slant + rng.normal(0, 0.08), -0.3, 0.5))
        mask = self._shear(mask, slant, baseline).reduce(ss)
        alpha, baseline = self._crop(np.asarray(mask), baseline / ss, rng)
        return self._paint(alpha, baseline, rng)

    @staticmethod
    def _draw_ink(
        word: str,
        font: ImageFont.FreeTypeFont,
        x_height: float,
        habit: WriterHabit,
        stroke: int,
        rng: np.random.Generator,
    ) -> Tuple[Image.Image, float]:
        """Draw the ink mask (255 = ink) and return it with the baseline row.

        ``x_height`` is in pixels of the drawing; offsets are relative to it.
        """
        per_letter = len(word) > 1 and rng.random() < 0.6
        if per_letter:
            # Baseline jitter: a slow tilt plus per-letter wobble; spacing: a per-word value
            # plus per-letter noise, on top of the kerned advances.
            jitter_scale = rng.uniform(0.0, 0.12) * x_height
            tilt = rng.normal(0, 0.04) * x_height
            centre = (len(word) - 1) / 2
            offsets_y = [
                tilt * (i - centre) + rng.normal(0, 1) * jitter_scale for i in range(len(word))
            ]
            spacing = (habit.spacing + rng.uniform(-0.08, 0.2)) * x_height
            extra = np.cumsum(
                [0.0] + [spacing + rng.uniform(-0.1, 0.1) * x_height for _ in range(len(word) - 1)]
            )
            offsets_x = [font.getlength(word[:i]) + extra[i] for i in range(len(word))]
        else:
            offsets_y, offsets_x = [0.0], [0.0]
        pieces = list(word) if per_letter else [word]
        boxes = []
        for piece, dx, dy in zip(pieces, offsets_x, offsets_y):
            left, top, right, bottom = font.getbbox(piece, anchor='ls', stroke_width=stroke)
            boxes.append((left + dx, top + dy, right + dx, bottom + dy))
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        pad = 4 + stroke
        height = int(math.ceil(bottom - top)) + 2 * pad
        # Room for the shear, which moves a row by up to 0.5 * its distance to the baseline.
        shear_pad = int(math.ceil(0.5 * height))
        width = int(math.ceil(right - left)) + 2 * (pad + shear_pad)
        canvas = Image.new('L', (width, height), 0)
        draw = ImageDraw.Draw(canvas)
        baseline = pad - top
        x0 = shear_pad + pad - left
        if per_letter:
            for ch, dx, dy in zip(word, offsets_x, offsets_y):
                draw.text(
                    (x0 + dx, baseline + dy),
                    ch,
                    font=font,
                    fill=255,
                    anchor='ls',
                    stroke_width=stroke,
                    stroke_fill=255,
                )
        else:
            draw.text(
                (x0, baseline),
                word,
                font=font,
                fill=255,
                anchor='ls',
                stroke_width=stroke,
                stroke_fill=255,
            )
        return canvas, baseline

    @staticmethod
    def _shear(mask: Image.Image, slant: float, baseline: float) -> Image.Image:
        """Slant the ink: a row at height ``h`` above the baseline moves ``slant * h`` right."""
        if abs(slant) < 1e-3:
            return mask
        # Image.transform maps each output pixel (x, y) to the input (x + s*y - s*b, y).
        return mask.transform(
            mask.size, Image.AFFINE, (1, slant, -slant * baseline, 0, 1, 0), resample=Image.BILINEAR
        )

    @staticmethod
    def _crop(
        mask: np.ndarray, baseline: float, rng: np.random.Generator
    ) -> Tuple[np.ndarray, float]:
        """Crop around the ink with a small random margin, to 32..64 rows.

        Returns the ink opacity in [0, 1] and the baseline row in the crop.
        """
        rows = np.flatnonzero((mask > _INK_THRESHOLD).any(axis=1))
        cols = np.flatnonzero((mask > _INK_THRESHOLD).any(axis=0))
        if rows.size == 0:
            raise ValueError('the word rendered no ink')
        top, bottom = rows[0], rows[-1] + 1
        left, right = cols[0], cols[-1] + 1
        mt, mb, ml, mr = (int(m) for m in rng.integers(2, 9, size=4))
        crop = np.pad(mask[top:bottom, left:right], ((mt, mb), (ml, mr)))
        baseline = baseline - top + mt
        if crop.shape[0] > MAX_HEIGHT:
            target = int(rng.integers(52, MAX_HEIGHT + 1))
            scale = target / crop.shape[0]
            new_width = max(1, int(round(crop.shape[1] * scale)))
            crop = np.asarray(Image.fromarray(crop).resize((new_width, target), Image.LANCZOS))
            baseline *= scale
        if crop.shape[0] < MIN_HEIGHT:
            missing = MIN_HEIGHT - crop.shape[0]
            extra_top = int(rng.integers(0, missing + 1))
            crop = np.pad(crop, ((extra_top, missing - extra_top), (0, 0)))
            baseline += extra_top
        return crop.astype(np.float32) / 255.0, baseline

    @staticmethod
    def _paint(alpha: np.ndarray, baseline: float, rng: np.random.Generator) -> np.ndarray:
        """Put the ink on textured paper, then blur and add noise."""
        height, width = alpha.shape
        paper_tone = rng.uniform(185, 250)
        ink_tone = rng.uniform(0, min(80, paper_tone - 120))
        paper = np.full((height, width), paper_tone, dtype=np.float32)
        paper += rng.uniform(0, 10) * _smooth_field(rng, height, width, 24)
        paper += rng.uniform(0, 4) * rng.standard_normal((height, width)).astype(np.float32)
        if rng.random() < 0.2:
            # A faint ruled line just under the baseline.
            row = int(round(baseline + rng.uniform(1, 4)))
            if 0 <= row < height:
                paper[row] -= rng.uniform(20, 50)
        # Uneven pen pressure.
        pressure = 1.0 - rng.uniform(0, 0.25) * (0.5 + 0.5 * _smooth_field(rng, height, width, 12))
        alpha = alpha * np.clip(pressure, 0.5, 1.0)
        image = paper * (1.0 - alpha) + ink_tone * alpha
        if rng.random() < 0.4:
            blurred = Image.fromarray(np.clip(image, 0, 255).astype(np.uint8)).filter(
                ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))
            )
            image = np.asarray(blurred, dtype=np.float32)
        image = image + rng.uniform(0, 6) * rng.standard_normal((height, width)).astype(np.float32)
        return np.clip(np.round(image), 0, 255).astype(np.uint8)
