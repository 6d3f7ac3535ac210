# SeqCLR fine-tuning on the demo corpus, 10% of the labels (the configs' seed-0 subset):
# finetune_ctc_small-resnet-bilstm_warmup_1200it_demo-handwriting-10pct.py (the 100-iteration
# warm-up of the rate) at Adam 3e-3 for the --full replica's 2,000 iterations (rate x0.1 at 1,200
# and 1,600), validated every 200. tools/run_demo.sh --full fine-tunes Table 2's SeqCLR runs with
# it (the label fraction and seed set per run).
# Pass the encoder: --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
_base_ = './finetune_ctc_small-resnet-bilstm_warmup_1200it_demo-handwriting-10pct.py'

# Adam 3e-3, the rate the seeded search on the demo's schedule picked for both methods
# (docs/experiments/learning_rate_search.md); the parent config has 1e-3.
optim_wrapper = dict(optimizer=dict(lr=3e-3))
train_cfg = dict(max_iters=2000, val_interval=200)
param_scheduler = [
    dict(_base_.param_scheduler[0], milestones=[1200, 1600]),
    _base_.param_scheduler[1],
]
