# The dry run's pretraining runs (tools/gpu/gpu_check.sh --dry-run, on the CPU): the demo's
# small encoder instead of the paper's, on the same folder of images, views made by
# BatchSeqCLRAugment as in seqclr_pretrain_gpu_check.py; no validation.
_base_ = ['../../configs/seqclr/seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py']

train_dataloader = dict(
    num_workers=1,
    persistent_workers=False,
    dataset=dict(
        datasets=[dict(type='ImageFolderDataset', data_root='data/unlabeled', pipeline=None)]
    ),
)
val_dataloader = None
val_cfg = None
val_evaluator = None

train_cfg = dict(max_iters=2)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=10**9, save_last=False))
