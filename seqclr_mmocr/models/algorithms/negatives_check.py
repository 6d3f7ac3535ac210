"""Refuse, before training, a contrastive config whose batches can hold no negative."""

from typing import Optional

from ..losses.sequence_contrastive_loss import NoNegativesError

DEFAULT_MAPPER = dict(type='WindowToInstance', num_windows=5)


def _type_name(cfg: dict) -> str:
    type_ = cfg.get('type', '')
    name = type_ if isinstance(type_, str) else getattr(type_, '__name__', str(type_))
    return name.split('.')[-1]


def instances_per_image(model_cfg: dict) -> Optional[int]:
    """Instances each image gives when the config fixes the number, else None (it then
    depends on the image width)."""
    algorithm = _type_name(model_cfg)
    if algorithm == 'SimCLR':
        return 1
    if algorithm != 'SeqCLR':
        return None
    mapper = model_cfg.get('instance_mapper') or DEFAULT_MAPPER
    mapper_type = _type_name(mapper)
    if mapper_type == 'AllToInstance':
        return 1
    if mapper_type == 'WindowToInstance' and mapper.get('num_windows', 5) == 1:
        return 1
    return None


def check_contrastive_negatives(cfg, world_size: int = 1) -> None:
    """Raise :class:`NoNegativesError` when the config makes it certain that a training or
    validation batch holds one instance per view over all ranks (then no instance has a
    negative, and the loss is 0 with zero gradients): one instance per image and a batch
    of one image per rank, on one rank or without gathering across ranks."""
    model = cfg.get('model') or {}
    if instances_per_image(model) != 1:
        return
    gather = (model.get('loss') or {}).get('gather_across_ranks', True)
    ranks = world_size if gather else 1
    mapping = (
        'SimCLR'
        if _type_name(model) == 'SimCLR'
        else _type_name(model.get('instance_mapper') or DEFAULT_MAPPER)
    )
    for loader in ('train_dataloader', 'val_dataloader'):
        batch_size = (cfg.get(loader) or {}).get('batch_size')
        if batch_size is not None and batch_size * ranks < 2:
            error = NoNegativesError(1, 1)
            raise error.with_message(
                f'{loader}.batch_size={batch_size} with mapping {mapping} (one instance per '
                f'image) on {world_size} process(es)'
                f'{"" if gather else " without gather_across_ranks"}: every batch holds a '
                'single instance per view, so no instance has a negative and the contrastive '
                'loss would be 0 with zero gradients. Use a batch of at least 2 images.'
            )
