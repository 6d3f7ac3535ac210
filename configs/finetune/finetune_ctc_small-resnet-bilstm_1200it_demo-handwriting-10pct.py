# Fine-tuning (paper §5.2) on 10pct of the demo-handwriting labels: the whole recognizer
# (small-resnet-bilstm encoder + CTC decoder (per-frame linear layer)) trains from the pretrained
# encoder.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
# The supervised baseline's recognizer, data subset and schedule, started from the pretrained
# encoder.
_base_ = [
    '../_base_/models/ctc_small-resnet-bilstm.py',
    '../_base_/datasets/demo_handwriting.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adam_1200it_demo.py',
    '../_base_/default_runtime.py',
]

model = dict(decoder=dict(dictionary=_base_.demo_hw_dictionary))

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.demo_hw_train],
    pipeline=[
        dict(_base_.recog_text_check, dictionary=_base_.demo_hw_dictionary),
        *_base_.recog_train_pipeline,
    ],
)
# CPU-sized loaders for the demo.
# The same 10pct subset (seed 0) for every method compared.
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(type='LabelFractionDataset', fraction=0.1, seed=0, dataset=labelled_train),
)
val_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_val]))
test_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_test]))

val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator

# The best validation checkpoint is picked by CER, which still ranks recognizers that read no
# whole word yet (word accuracy ties at 0 there, and the first tie would win).
# The small backbone's CPU steps take about a third less time in channels_last (ChannelsLastHook).
default_hooks = dict(
    checkpoint=dict(save_best='DemoHW/recog/cer', rule='less'),
    memory_format=dict(type='ChannelsLastHook'),
)

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
