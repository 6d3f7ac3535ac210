# SeqCLR fine-tuning on the demo corpus, 5% of the labels (the configs' seed-0 subset):
# finetune_ctc_small-resnet-bilstm_warmup_1200it_demo-handwriting-10pct.py (the 100-iteration
# warm-up of the rate) at Adam 3e-3 for the demo's 1,200 iterations (rate x0.1 at 720 and 960),
# validated every 100. tools/run_demo.sh fine-tunes SeqCLR's encoder with it.
# Pass the encoder: --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
_base_ = './finetune_ctc_small-resnet-bilstm_warmup_1200it_demo-handwriting-10pct.py'

# Adam 3e-3, the rate the seeded search on the demo's schedule picked for both methods
# (docs/experiments/learning_rate_search.md); the parent config has 1e-3.
optim_wrapper = dict(optimizer=dict(lr=3e-3))
train_cfg = dict(val_interval=100)

train_dataloader = dict(dataset=dict(fraction=0.05))
