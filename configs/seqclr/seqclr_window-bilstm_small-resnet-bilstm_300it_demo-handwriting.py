# Table 1 of tools/run_demo.sh --full: SeqCLR window-to-instance with a BiLSTM
# projection head, R = H, on the CPU-sized encoder, for 300 iterations of 64 unlabelled demo
# images (validated twice, rate x0.1 at 60% and 80%), the replica's pretraining budget: the
# demo's pretraining (seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py) cut.
_base_ = './seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'

train_cfg = dict(max_iters=300, val_interval=150)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[180, 240], gamma=0.1)]
