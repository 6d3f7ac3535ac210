# Unlabelled pretraining data: the demo corpus's unlabelled pool (train fonts only; its
# labels are ignored), validated label-free on the val split (other fonts).
_base_ = ['../../../_base_/datasets/demo_handwriting.py', 'pretrain_loaders.py']

train_dataloader = dict(
    batch_size=64, num_workers=2, dataset=dict(datasets=[_base_.demo_hw_unlabeled])
)
val_dataloader = dict(
    batch_size=100,
    num_workers=1,
    persistent_workers=False,
    dataset=dict(datasets=[_base_.demo_hw_val]),
)
