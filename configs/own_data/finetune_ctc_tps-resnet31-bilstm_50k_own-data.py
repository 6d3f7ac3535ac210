# Fine-tuning on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's paper-sized CTC recognizer, data and schedule
# (supervised_ctc_tps-resnet31-bilstm_50k_own-data.py: the paper's 50K iterations at batch 256),
# started from a SeqCLR encoder.
# Pass the encoder: --cfg-options load_from=<pretraining checkpoint or encoder.pth>
_base_ = './supervised_ctc_tps-resnet31-bilstm_50k_own-data.py'

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
