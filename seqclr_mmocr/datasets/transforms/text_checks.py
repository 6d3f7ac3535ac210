"""Checks that ground-truth texts are non-empty and fit a dictionary."""

import logging
import os.path as osp
from collections import Counter
from typing import ClassVar, Dict, List, Optional, Union

from mmcv.transforms import BaseTransform
from mmengine.logging import print_log
from mmocr.models.common.dictionary import Dictionary
from mmocr.registry import TASK_UTILS, TRANSFORMS

from seqclr_mmocr.datasets.bad_inputs import count_bad_input
from seqclr_mmocr.dicts import available_dicts, dict_path

POLICIES = ('error', 'warn', 'skip')


@TRANSFORMS.register_module()
class CheckTextInDictionary(BaseTransform):
    """Check the ground-truth texts of a sample against a dictionary.

    A text is bad when it is empty (``''``) or holds a character that the
    dictionary lacks. What a bad text does is set per kind of problem:

    - ``'error'``: raise ``ValueError`` naming the image path, the text and,
      for unknown characters, the characters missing from the dictionary.
    - ``'warn'``: log a warning with the image path and keep the sample.
    - ``'skip'``: log a warning with the image path and return ``None``, so
      that MMEngine's ``BaseDataset`` fetches another sample instead (in
      training; a test-mode dataset raises on ``None``, so use 'error' or
      'warn' in test pipelines).

    Every warned or skipped sample is counted in the class-level counter
    :attr:`counts` (keys ``'unknown'`` and ``'empty'``), and each warning
    gives the running count. Counts are per process: each data-loader
    worker keeps its own.

    The texts are read from ``results['gt_texts']`` when present (after
    ``LoadOCRAnnotations``), otherwise from the ``'text'`` of every item of
    ``results['instances']``, so the check can run first in the pipeline,
    before the image is loaded.

    Required Keys:

    - gt_texts (list[str]) or instances (list[dict] with 'text')
    - img_path (optional, used in messages)

    Args:
        dict_file (str, optional): Path of a dictionary file in MMOCR format,
            or the name of a bundled one (``'english_95'``, ``'french_rimes'``).
        dictionary (dict or Dictionary, optional): A dictionary config (built
            in ``TASK_UTILS``) or instance, e.g. the one a dataset config
            declares and the decoder gets too; its special tokens are not
            characters. Give either ``dict_file`` or ``dictionary``.
        on_unknown (str): 'error', 'warn' or 'skip' for a text with a
            character outside the dictionary. Defaults to 'error'.
        on_empty (str): 'error', 'warn' or 'skip' for an empty text.
            Defaults to 'error'.

    Example:
        >>> rimes_dictionary = dict(type='BundledDictionary', dict_name='french_rimes')
        >>> check = dict(type='CheckTextInDictionary', dictionary=rimes_dictionary,
        ...              on_unknown='warn', on_empty='skip')
        >>> train_pipeline = [
        ...     dict(type='CheckTextInDictionary', dict_file='english_95',
        ...          on_unknown='skip', on_empty='skip'),
        ...     dict(type='LoadImageFromFile'),
        ...     dict(type='LoadOCRAnnotations', with_text=True),
        ... ]
    """

    counts: ClassVar[Counter] = Counter()

    def __init__(
        self,
        dict_file: Optional[str] = None,
        on_unknown: str = 'error',
        on_empty: str = 'error',
        dictionary: Optional[Union[dict, Dictionary]] = None,
    ) -> None:
        policies = dict(on_unknown=on_unknown, on_empty=on_empty)
        for field, value in policies.items():
            if value not in POLICIES:
                raise ValueError(
                    f'CheckTextInDictionary: `{field}` must be one of {POLICIES}, got {value!r}'
                )
        if (dict_file is None) == (dictionary is None):
            raise ValueError('CheckTextInDictionary: give either `dict_file` or `dictionary`')
        if dictionary is None:
            self.dict_file = self._resolve_dict_file(dict_file)
            self.charset = frozenset(Dictionary(self.dict_file).dict)
        else:
            if isinstance(dictionary, dict):
                dictionary = TASK_UTILS.build(dictionary)
            special = {
                dictionary.start_idx,
                dictionary.end_idx,
                dictionary.padding_idx,
                dictionary.unknown_idx,
            }
            self.dict_file = getattr(dictionary, 'dict_file', type(dictionary).__name__)
            self.charset = frozenset(
                char for idx, char in enumerate(dictionary.dict) if idx not in special
            )
        self.on_unknown = on_unknown
        self.on_empty = on_empty

    @staticmethod
    def _resolve_dict_file(dict_file: str) -> str:
        if osp.isfile(dict_file):
            return dict_file
        try:
            return dict_path(dict_file)
        except FileNotFoundError:
            raise FileNotFoundError(
                f'CheckTextInDictionary: `dict_file` {dict_file!r} is '
                'neither an existing file nor a bundled dictionary '
                f'{available_dicts()}'
            ) from None

    @classmethod
    def reset_counts(cls) -> None:
        """Set the class-level counters back to zero."""
        cls.counts.clear()

    def transform(self, results: Dict) -> Optional[Dict]:
        """Check every text of the sample.

        Args:
            results (dict): The result dict.

        Returns:
            dict or None: ``results`` unchanged, or ``None`` when a text is
            bad and its policy is 'skip'.
        """
        img_path = results.get('img_path', '<unknown image>')
        for text in self._texts(results, img_path):
            if text == '':
                problem, policy = 'empty', self.on_empty
                detail = 'empty ground-truth text'
            else:
                unknown = sorted(set(text) - self.charset)
                if not unknown:
                    continue
                problem, policy = 'unknown', self.on_unknown
                detail = f'text {text!r} has characters not in {self.dict_file}: {unknown}'
            if policy == 'error':
                raise ValueError(f'CheckTextInDictionary: image {img_path!r}: {detail}')
            self.counts[problem] += 1
            count_bad_input(
                'unknown_char_labels' if problem == 'unknown' else 'empty_labels',
                item=f'{img_path}\t{text}',
            )
            action = 'skipped' if policy == 'skip' else 'kept'
            print_log(
                f'CheckTextInDictionary: image {img_path!r}: {detail}; '
                f'sample {action} ({self.counts[problem]} {problem}-text '
                'samples so far in this process)',
                logger='current',
                level=logging.WARNING,
            )
            if policy == 'skip':
                return None
        return results

    @staticmethod
    def _texts(results: Dict, img_path: str) -> List[str]:
        if 'gt_texts' in results:
            return list(results['gt_texts'])
        instances = results.get('instances')
        if instances is None or any('text' not in inst for inst in instances):
            raise ValueError(
                f'CheckTextInDictionary: image {img_path!r} has no '
                "'gt_texts' and no 'text' in every item of 'instances'"
            )
        return [inst['text'] for inst in instances]

    def __repr__(self) -> str:
        repr_str = self.__class__.__name__
        repr_str += f'(dict_file={self.dict_file!r}, '
        repr_str += f'on_unknown={self.on_unknown!r}, '
        repr_str += f'on_empty={self.on_empty!r})'
        return repr_str
