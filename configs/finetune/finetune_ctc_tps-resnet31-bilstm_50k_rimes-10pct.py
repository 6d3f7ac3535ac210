# Fine-tuning (paper §5.2) on 10% of the RIMES labels: the supervised baseline's recognizer
# (tps-resnet31-bilstm encoder + CTC decoder), data and schedule
# (supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py), the whole recognizer trained from a
# pretrained encoder.
# Pass it: --cfg-options load_from=work_dirs/<pretrain>/iter_N.pth (or its exported encoder.pth)
_base_ = '../supervised/supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py'

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
