# Supervised training on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): the CPU-sized attention recognizer from random initialisation,
# 1200 iterations of Adam.
_base_ = [
    '../_base_/models/attn_small-resnet-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adam_1200it_demo.py',
    '../_base_/default_runtime.py',
]

model = dict(decoder=dict(dictionary=_base_.own_data_dictionary))

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

# The small backbone's CPU steps take about a third less time in channels_last (ChannelsLastHook).
default_hooks = dict(memory_format=dict(type='ChannelsLastHook'))
