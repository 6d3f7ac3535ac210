# Supervised training on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the CPU-sized attention recognizer from random initialisation, on the
# converged recipe of schedule_adam_4000it.py (4,000 iterations of Adam 3e-3, rate x0.1 at 60% and
# 80%, validated every 250; the comment there says how it was chosen).
_base_ = [
    '../_base_/models/attn_small-resnet-bilstm.py',
    '../_base_/datasets/own_data.py',
    '../_base_/pipelines/recog_pipelines.py',
    '../_base_/schedules/schedule_adam_4000it.py',
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

# The best validation checkpoint is picked by CER, as in the demo: it still ranks recognizers that
# read no whole word yet (word accuracy ties at 0 there, and the first tie would win).
# Logged every 25 iterations, as pretraining; the small backbone's CPU steps take about a third
# less time in channels_last (ChannelsLastHook).
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(save_best=f'{_base_.own_data_name}/recog/cer', rule='less'),
    memory_format=dict(type='ChannelsLastHook'),
)
