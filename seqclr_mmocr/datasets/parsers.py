"""Annotation line parsers (registered in MMOCR's ``TASK_UTILS``)."""

from typing import Dict

from mmocr.registry import TASK_UTILS
from mmocr.utils.parsers import LineStrParser


@TASK_UTILS.register_module()
class LabelOptionalLineStrParser(LineStrParser):
    """MMOCR's ``LineStrParser``, except that a line with an image path and no label
    (``labeled/w1.png``) gives an empty label instead of raising ``key index: 1 out of
    range``.

    A pipeline whose ``CheckTextInDictionary`` skips empty labels then skips such a line,
    and counts it, as it does a line with an empty label. The pre-training check
    (:func:`seqclr_mmocr.datasets.annotation_checks.check_annotation_entries`) puts this
    parser in place of ``LineStrParser`` in the splits that have such lines and whose
    pipeline skips empty labels or reads no labels; elsewhere it stops the run naming the
    line. A blank line still raises.

    Args:
        keys (list[str]): Keys of the result dict. Defaults to ``['filename', 'text']``.
        keys_idx (list[int]): Index of each key's field in the line. Defaults to
            ``[0, 1]``.
        separator (str): Field separator. Defaults to ``' '``.
    """

    def __call__(self, in_str: str) -> Dict:
        fields = self.strip_cls(in_str).split(self.separator)
        if fields[0] and len(fields) <= max(self.keys_idx):
            fields += [''] * (max(self.keys_idx) + 1 - len(fields))
            return {key: fields[idx] for key, idx in zip(self.keys, self.keys_idx)}
        return super().__call__(in_str)
