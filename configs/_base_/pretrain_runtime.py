# Runtime of label-free contrastive pretraining (SeqCLR, SimCLR): MMOCR's runtime with this
# plug-in's modules, iteration-based logging and checkpoints, and a validation that needs no
# labels (loss and positive-pair retrieval). The downstream recognizers use default_runtime.py.
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

custom_imports = dict(imports=['seqclr_mmocr'], allow_failed_imports=False)
default_scope = 'mmocr'

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50),
    checkpoint=dict(
        type='AtomicCheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=3, save_last=True
    ),
)
# MMEngine's LogProcessor averages every key matching `mean_pattern` over the last
# `window_size` records, validation metrics included, so `pretrain/loss` was logged as the
# mean of the last 10 validations (docs/experiments/harder_pretext_task.md). Evaluator metrics carry
# a prefix (`pretrain/`), training keys do not: smooth only keys without one.
log_processor = dict(
    type='LogProcessor',
    window_size=10,
    by_epoch=False,
    mean_pattern=r'^[^/]*(loss|time|data_time|grad_norm)',
)

val_evaluator = dict(_delete_=True, type='ContrastiveRetrievalMetric')
# Pretraining has no test stage: tools/test.py is for the downstream recognizers.
test_evaluator = None
tta_model = None
