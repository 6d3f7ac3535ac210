# Runtime of the downstream recognizers (decoder evaluation, fine-tuning, supervised
# baselines): MMOCR's runtime with this plug-in's modules, iteration-based logging and
# checkpoints, and the paper's metrics (word accuracy, ED1, CER, WER; exact and
# case-insensitive). Experiment configs name their datasets in `dataset_prefixes`.
# Label-free pretraining uses pretrain_runtime.py beside it.
_base_ = ['mmocr::textrecog/_base_/default_runtime.py']

custom_imports = dict(imports=['seqclr_mmocr'], allow_failed_imports=False)
default_scope = 'mmocr'

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=100),
    checkpoint=dict(
        type='AtomicCheckpointHook',
        by_epoch=False,
        interval=5000,
        max_keep_ckpts=2,
        save_last=True,
        save_best='auto',
    ),
)
log_processor = dict(type='LogProcessor', window_size=10, by_epoch=False)

val_evaluator = dict(
    type='MultiDatasetsEvaluator',
    metrics=[
        dict(
            type='SeqCLRRecogMetric',
            metrics=('acc', 'ed1', 'cer', 'wer'),
            mode=['exact', 'ignore_case'],
        )
    ],
    dataset_prefixes=None,
)
test_evaluator = val_evaluator
