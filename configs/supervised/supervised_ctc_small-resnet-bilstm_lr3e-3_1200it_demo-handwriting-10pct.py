# Supervised baseline on the demo corpus, 10% of the labels (the configs' seed-0 subset):
# supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py at Adam 3e-3 for the demo's
# 1,200 iterations (rate x0.1 at 720 and 960), validated every 100. tools/run_demo.sh trains the
# supervised baselines with it.
_base_ = './supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'

# Adam 3e-3, the rate the seeded search on the demo's schedule picked for both methods
# (docs/experiments/learning_rate_search.md); the parent config has 1e-3.
optim_wrapper = dict(optimizer=dict(lr=3e-3))
train_cfg = dict(val_interval=100)
