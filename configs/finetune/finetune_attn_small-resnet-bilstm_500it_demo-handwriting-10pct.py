# Fine-tuning (paper §5.2) on 10pct of the demo-handwriting labels: the whole recognizer
# (small-resnet-bilstm encoder + attention decoder (LSTM 256, additive attention)) trains from the pretrained encoder.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = [
    '../_base_/recognizers/attn_small-resnet-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adam_500it_demo.py',
    '../_base_/recognition/data_demo_handwriting.py',
]

val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator

# The same 10pct subset (seed 0) for every method compared.
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='LabelFractionDataset',
        fraction=0.1,
        seed=0,
        dataset=_base_.labelled_train))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
