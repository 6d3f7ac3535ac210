# Fine-tuning (paper §5.2) on all the RIMES labels: the supervised baseline's recognizer
# (tps-resnet31-bilstm encoder + attention decoder), data and schedule
# (supervised_attn_tps-resnet31-bilstm_50k_rimes-10pct.py), the whole recognizer trained from a
# pretrained encoder.
# Pass it: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth (or its exported encoder.pth)
_base_ = '../supervised/supervised_attn_tps-resnet31-bilstm_50k_rimes-10pct.py'

train_dataloader = dict(dataset=dict(_base_.labelled_train, _delete_=True))

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
