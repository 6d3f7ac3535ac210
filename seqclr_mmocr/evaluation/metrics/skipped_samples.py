"""Leave unreadable (placeholder) samples out of a metric, and say so."""

import logging
from typing import List, Tuple

from mmengine.logging import print_log

MAX_LISTED = 5


def split_skipped(results: list, owner: str) -> Tuple[List, int]:
    """Drop the ``dict(skipped=True, img_path=...)`` results that ``process`` stored for
    placeholder samples; log how many samples were evaluated and which were skipped.

    Returns the remaining results and the number skipped. Raises ``ValueError`` when
    every sample was skipped."""
    skipped = [r for r in results if isinstance(r, dict) and r.get('skipped')]
    if not skipped:
        return results, 0
    kept = [r for r in results if not (isinstance(r, dict) and r.get('skipped'))]
    paths = [str(r.get('img_path')) for r in skipped[:MAX_LISTED]]
    print_log(
        f'{owner}: evaluated {len(kept)} of {len(results)} samples; skipped '
        f'{len(skipped)} unreadable image(s): {", ".join(paths)}'
        f'{", ..." if len(skipped) > MAX_LISTED else ""}',
        logger='current',
        level=logging.WARNING,
    )
    if not kept:
        raise ValueError(
            f'{owner}: every one of the {len(results)} samples was skipped as '
            f'unreadable (first: {paths[0]})'
        )
    return kept, len(skipped)
