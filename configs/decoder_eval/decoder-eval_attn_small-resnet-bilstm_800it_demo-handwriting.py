# Decoder evaluation (paper §5.1) on demo-handwriting: the pretrained small-resnet-bilstm encoder
# stays frozen (no gradients, BatchNorm/Dropout in eval mode) and a attention decoder (LSTM 256,
# additive attention) is trained on all labels.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = [
    '../_base_/models/attn_small-resnet-bilstm.py',
    '../_base_/datasets/demo_handwriting.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adam_800it_demo.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    decoder=dict(dictionary=_base_.demo_hw_dictionary),
)

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.demo_hw_train],
    pipeline=[
        dict(_base_.recog_text_check, dictionary=_base_.demo_hw_dictionary),
        *_base_.recog_train_pipeline,
    ],
)
# CPU-sized loaders for the demo.
train_dataloader = dict(batch_size=32, num_workers=2, dataset=labelled_train)
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
