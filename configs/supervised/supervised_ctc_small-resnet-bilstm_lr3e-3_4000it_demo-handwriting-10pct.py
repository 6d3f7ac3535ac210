# Supervised baseline on the demo corpus, 10% of the labels (the configs' seed-0 subset):
# supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py at Adam 3e-3 for the
# converged 4,000 iterations (rate x0.1 at 2,400 and 3,200), validated every 250. The supervised
# side of the converged comparison
# (docs/experiments/longer_finetuning.md).
_base_ = './supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'

# Adam 3e-3, the rate the seeded search on the demo's schedule picked for both methods
# (docs/experiments/learning_rate_search.md); the parent config has 1e-3.
optim_wrapper = dict(optimizer=dict(lr=3e-3))
train_cfg = dict(max_iters=4000, val_interval=250)
param_scheduler = [dict(_base_.param_scheduler[0], milestones=[2400, 3200])]
