# SeqCLR fine-tuning with a learning-rate warm-up (issue 12): the demo's fine-tuning recipe
# (finetune_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py: the whole small-resnet-bilstm
# recognizer with a CTC decoder, from the pretrained encoder), its rate ramped linearly from 0.1x to
# 1x over the first 100 iterations. On the demo's 1,000-iteration schedule at Adam 3e-3 this was
# SeqCLR's best recipe in the seeded search (docs/experiments/learning_rate_search.md): it let
# fine-tuning leave CTC's blank plateau before the first cut of the rate; supervised training did
# better without it. The demo scripts fine-tune with its Adam 3e-3 variants
# (finetune_ctc_small-resnet-bilstm_warmup-lr3e-3_*). Pass the encoder: --cfg-options
# load_from=work_dirs/<pretrain>/encoder.pth
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
# The same 10pct subset (seed 0) for every method compared; other fractions and seeds:
# --cfg-options train_dataloader.dataset.fraction=0.05 train_dataloader.dataset.seed=1
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(type='LabelFractionDataset', fraction=0.1, seed=0, dataset=labelled_train),
)
val_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_val]))
test_dataloader = dict(batch_size=32, num_workers=1, dataset=dict(datasets=[_base_.demo_hw_test]))

val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator

# The warm-up comes second so that the steps stay param_scheduler.0 (the lr3e-3 variants and
# the demo scripts' toy-size overrides move them); MMEngine's schedulers multiply the rate, so
# their order does not change it. MMEngine's end is exclusive: the rate reaches 1x at iteration 99.
param_scheduler = [
    dict(type='MultiStepLR', by_epoch=False, milestones=[720, 960], gamma=0.1),
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
]
# Best validation checkpoint by CER; the small backbone in channels_last (ChannelsLastHook).
default_hooks = dict(
    checkpoint=dict(save_best='DemoHW/recog/cer', rule='less'),
    memory_format=dict(type='ChannelsLastHook'),
)

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
