# Decoder evaluation on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): an attention decoder trained on the frozen CPU-sized encoder,
# 300 iterations of Adam. Pass the encoder: --cfg-options load_from=<pretraining checkpoint or
# encoder.pth>
_base_ = [
    '../_base_/recognizers/attn_small-resnet-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adam_800it_demo.py',
    '../_base_/recognition/data_own_data_cpu.py',
]

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator

model = dict(type='FrozenEncoderRecognizer', frozen_modules=('preprocessor', 'backbone', 'encoder'))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
