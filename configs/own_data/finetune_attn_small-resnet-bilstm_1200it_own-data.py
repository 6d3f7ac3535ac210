# Fine-tuning on your own labels ($OWN_DATA/{train,val,test}.txt, or the JSON files with
# OWN_DATA_LABELS=json): the supervised config's CPU-sized attention recognizer, 500
# iterations of Adam, started from a SeqCLR encoder: --cfg-options load_from=<pretraining
# checkpoint or encoder.pth>
_base_ = ['supervised_attn_small-resnet-bilstm_1200it_own-data.py']

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
