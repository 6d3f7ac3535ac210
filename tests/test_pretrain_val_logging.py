"""The label-free validation's loss is logged as measured, not averaged over validations."""

from types import SimpleNamespace

from mmengine.config import Config
from mmengine.logging import MessageHub
from mmengine.registry import LOG_PROCESSORS


def _collect(mode: str, hub: MessageHub) -> dict:
    cfg = Config.fromfile('configs/_base_/pretrain_runtime.py')
    processor = LOG_PROCESSORS.build(cfg.log_processor)
    return processor._collect_scalars([], SimpleNamespace(message_hub=hub), mode, False)


def test_pretraining_logs_the_latest_validation_loss_not_the_mean_of_earlier_validations():
    hub = MessageHub.get_instance('test_pretrain_val_logging_val')
    for value in (3.0, 1.0):  # two validations
        hub.update_scalar('val/pretrain/loss', value)
        hub.update_scalar('val/pretrain/retrieval_acc', value / 4)
        hub.update_scalar('val/own_prefix/loss', value)  # a metric with another prefix
    tag = _collect('val', hub)
    assert tag['pretrain/loss'] == 1.0
    assert tag['pretrain/retrieval_acc'] == 0.25
    assert tag['own_prefix/loss'] == 1.0


def test_pretraining_still_smooths_the_training_loss_over_the_window():
    hub = MessageHub.get_instance('test_pretrain_val_logging_train')
    for value in (4.0, 2.0):
        hub.update_scalar('train/loss', value)
        hub.update_scalar('train/time', value)
    tag = _collect('train', hub)
    assert tag['loss'] == 3.0
    assert tag['time'] == 3.0
