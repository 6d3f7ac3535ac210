# Fine-tuning on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's CPU-sized CTC recognizer, data and converged
# recipe (supervised_ctc_small-resnet-bilstm_4000it_own-data.py), started from a SeqCLR encoder,
# with the rate ramped linearly from 0.1x to 1x over the first 100 iterations: the demo's
# fine-tuning recipe, which the seeded search picked for SeqCLR fine-tuning (supervised training
# did better without the warm-up).
# Pass the encoder: --cfg-options load_from=<pretraining checkpoint or encoder.pth>
_base_ = './supervised_ctc_small-resnet-bilstm_4000it_own-data.py'

# MMEngine's schedulers multiply the rate, so the warm-up composes with the steps.
param_scheduler = [
    *_base_.param_scheduler,
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
]

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
