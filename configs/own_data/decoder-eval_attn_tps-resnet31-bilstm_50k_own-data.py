# Decoder evaluation on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files
# with OWN_DATA_LABELS=json): an attention decoder trained on the frozen paper-sized encoder,
# the paper's 50K iterations at batch 256. Pass the encoder: --cfg-options
# load_from=<pretraining checkpoint or encoder.pth>
_base_ = [
    '../_base_/recognizers/attn_tps-resnet31-bilstm.py',
    '../_base_/recognition/recog_runtime.py',
    '../_base_/recognition/schedule_adadelta_50k.py',
    '../_base_/recognition/data_own_data.py',
]

val_evaluator = dict(dataset_prefixes=[_base_.own_data_name])
test_evaluator = val_evaluator

model = dict(type='FrozenEncoderRecognizer', frozen_modules=('preprocessor', 'backbone', 'encoder'))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
