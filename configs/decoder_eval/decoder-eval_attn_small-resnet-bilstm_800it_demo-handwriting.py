# Decoder evaluation (paper §5.1) on demo-handwriting: the pretrained small-resnet-bilstm encoder stays frozen
# (no gradients, BatchNorm/Dropout in eval mode) and a attention decoder (LSTM 256, additive attention) is trained on all labels.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
_base_ = [
    '../_base_/recognizers/attn_small-resnet-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adam_800it_demo.py',
    '../_base_/recognition/data_demo_handwriting.py',
]

val_evaluator = dict(dataset_prefixes=['DemoHW'])
test_evaluator = val_evaluator

# The best validation checkpoint is picked by CER, which still ranks recognizers that read no
# whole word yet (word accuracy ties at 0 there, and the first tie would win).
default_hooks = dict(checkpoint=dict(save_best='DemoHW/recog/cer', rule='less'))

model = dict(type='FrozenEncoderRecognizer', frozen_modules=('preprocessor', 'backbone', 'encoder'))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
