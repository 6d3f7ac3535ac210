# Supervised baseline (paper Table 2) on 5% of the IAM labels: the 10% config
# (supervised_attn_tps-resnet31-bilstm_50k_iam-10pct.py) on its 5% subset.
_base_ = './supervised_attn_tps-resnet31-bilstm_50k_iam-10pct.py'

# The same 5% subset (seed 0) for every method compared.
train_dataloader = dict(dataset=dict(fraction=0.05))
