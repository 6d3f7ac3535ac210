# Fine-tuning (paper §5.2) on 10pct of the demo-handwriting labels: the whole recognizer
# (small-resnet-bilstm encoder + attention decoder (LSTM 256, additive attention)) trains from the pretrained encoder.
# Pass the pretraining checkpoint: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth
# The supervised baseline's config (same recognizer, data subset and schedule), started from
# the pretrained encoder.
_base_ = ['../supervised/supervised_attn_small-resnet-bilstm_1200it_demo-handwriting-10pct.py']

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
