# Decoder evaluation on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's paper-sized recognizer, data and schedule
# (supervised_ctc_tps-resnet31-bilstm_50k_own-data.py: the paper's 50K iterations at batch 256)
# with a CTC decoder trained on the frozen encoder.
# Pass the encoder: --cfg-options load_from=<pretraining checkpoint or encoder.pth>
_base_ = './supervised_ctc_tps-resnet31-bilstm_50k_own-data.py'

model = dict(
    type='FrozenEncoderRecognizer',
    frozen_modules=('preprocessor', 'backbone', 'encoder'),
    # Standardise the frozen frames per channel before the linear layer (a fixed affine map
    # at test time, so the decoder stays linear): without it the head of a frozen random
    # encoder, whose frames vary by ~0.003, never leaves CTC's all-blank output.
    decoder=dict(frame_norm=True),
)

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
