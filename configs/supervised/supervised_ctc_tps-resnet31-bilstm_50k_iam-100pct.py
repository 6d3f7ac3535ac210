# Supervised baseline (paper Table 2) on all the IAM labels: the 10% config
# (supervised_ctc_tps-resnet31-bilstm_50k_iam-10pct.py) on its whole training split.
_base_ = './supervised_ctc_tps-resnet31-bilstm_50k_iam-10pct.py'

train_dataloader = dict(dataset=dict(_base_.labelled_train, _delete_=True))
