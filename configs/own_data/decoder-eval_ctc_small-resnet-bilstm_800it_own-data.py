# Decoder evaluation on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): a CTC decoder trained on the frozen CPU-sized encoder, 800
# iterations of Adam. Pass the encoder: --cfg-options load_from=<pretraining checkpoint or
# encoder.pth>
_base_ = [
    '../_base_/models/ctc_small-resnet-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adam_800it_demo.py',
    '../_base_/default_runtime.py',
]

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    # Standardise the frozen frames per channel before the linear layer (a fixed affine map
    # at test time, so the decoder stays linear): without it the head of a frozen random
    # encoder, whose frames vary by ~0.003, never leaves CTC's all-blank output.
    decoder=dict(frame_norm=True, dictionary=_base_.own_data_dictionary),
)

labelled_train = dict(
    type='ConcatDataset',
    datasets=[_base_.own_data_train],
    pipeline=[
        dict(_base_.recog_text_check, dictionary=_base_.own_data_dictionary),
        *_base_.recog_train_pipeline,
    ],
)
# CPU-sized loaders.
train_dataloader = dict(
    batch_size=32, num_workers=2, persistent_workers=False, dataset=labelled_train
)
val_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.own_data_val]),
)
test_dataloader = dict(
    batch_size=32,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.own_data_test]),
)

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]

# The small backbone's CPU steps take about a third less time in channels_last (ChannelsLastHook).
default_hooks = dict(memory_format=dict(type='ChannelsLastHook'))
