"""Put the convolutions of chosen submodules in channels_last memory format before a run."""

from typing import Sequence, Union

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper
from mmocr.registry import HOOKS


@HOOKS.register_module()
class ChannelsLastHook(Hook):
    """Convert the parameters of ``modules`` of the model to ``torch.channels_last`` once,
    before training, validation or testing starts.

    A convolution whose weight is channels_last computes (and passes on) channels_last
    activations, so the whole backbone then runs in that layout. On this project's 2-core
    CPU machine, one thread, the demo's small-resnet-bilstm bare step took 35-41% less time
    (docs/benchmarks.md: fine-tuning at batch 32 0.261 -> 0.169 s, pretraining at
    batch 64 1.355 -> 0.798 s);
    a quick check of the paper-size tps-resnet31-bilstm showed no gain (3.3 s either way),
    so only the demo-size configs enable it. In float64 the loss and gradients equal the
    contiguous model's to rounding (``tests/test_channels_last_hook.py``).

    Only the named submodules are converted, because some modules reshape feature maps with
    ``Tensor.view``, which channels_last tensors refuse (MMOCR's TPS preprocessor does). The
    model is converted in place: the optimizer, which holds the same parameter objects,
    weight initialisation and checkpoint loading (both copy into the existing tensors) are
    unaffected, and checkpoints load into contiguous models as usual (the inferencer's).

    A model already wrapped for distributed training is left as it is, with a log line:
    ``DistributedDataParallel`` lays out its gradient buckets by the parameters' strides when
    it is built, which happens before any hook runs.

    Args:
        modules (str or Sequence[str]): dotted names of submodules of the model, e.g.
            ``('backbone',)``. Defaults to ``('backbone',)``.

    Example config (as the demo-size configs enable it: a ``default_hooks`` entry survives a
    config that replaces ``custom_hooks``)::

        default_hooks = dict(memory_format=dict(type='ChannelsLastHook', modules=['backbone']))
    """

    priority = 'VERY_HIGH'

    def __init__(self, modules: Union[str, Sequence[str]] = ('backbone',)) -> None:
        if isinstance(modules, str):
            modules = (modules,)
        if not modules:
            raise ValueError('ChannelsLastHook.modules must name at least one submodule')
        self.modules = tuple(modules)

    def before_run(self, runner) -> None:
        if is_model_wrapper(runner.model):
            print_log(
                'ChannelsLastHook: the model is wrapped for distributed training, its memory '
                'format stays as built (contiguous)',
                logger='current',
            )
            return
        for name in self.modules:
            try:
                module = runner.model.get_submodule(name)
            except AttributeError as error:
                raise AttributeError(
                    f'ChannelsLastHook.modules: the model ({type(runner.model).__name__}) has '
                    f'no submodule {name!r}'
                ) from error
            module.to(memory_format=torch.channels_last)
        print_log(
            f'ChannelsLastHook: {", ".join(self.modules)} in channels_last memory format',
            logger='current',
        )
