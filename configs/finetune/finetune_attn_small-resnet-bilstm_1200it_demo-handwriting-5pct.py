# Fine-tuning (paper §5.2) on 5% of the demo-handwriting labels: the supervised baseline's
# recognizer (small-resnet-bilstm encoder + attention decoder), data subset and schedule
# (supervised_attn_small-resnet-bilstm_1200it_demo-handwriting-10pct.py), the whole recognizer
# trained from the pretrained encoder.
# Pass it: --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
_base_ = '../supervised/supervised_attn_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'

# The same 5% subset (seed 0) for every method compared.
train_dataloader = dict(dataset=dict(fraction=0.05))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
