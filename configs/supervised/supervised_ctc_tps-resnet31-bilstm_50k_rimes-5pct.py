# Supervised baseline (paper Table 2) on 5% of the RIMES labels: the 10% config
# (supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py) on its 5% subset.
_base_ = './supervised_ctc_tps-resnet31-bilstm_50k_rimes-10pct.py'

# The same 5% subset (seed 0) for every method compared.
train_dataloader = dict(dataset=dict(fraction=0.05))
