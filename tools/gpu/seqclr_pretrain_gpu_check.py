# The GPU check's pretraining runs (tools/train.py --amp, tools/dist_train.sh on NCCL): the
# paper's encoder and SeqCLR variant (TPS + ResNet + 2-layer BiLSTM, window-to-instance,
# BiLSTM head, R = H) on a folder of images, the views made on the device by
# BatchSeqCLRAugment. tools/gpu/gpu_check.sh sets the data root, batch size, workers and
# iterations with --cfg-options.
_base_ = ['../../configs/seqclr/seqclr_window-bilstm_tps-resnet31-bilstm_200k_image-folder.py']

model = dict(data_preprocessor=dict(view_augment=dict(type='BatchSeqCLRAugment')))
train_dataloader = dict(
    num_workers=4,
    persistent_workers=False,
    dataset=dict(pipeline=_base_.seqclr_single_view_pipeline),
)

train_cfg = dict(max_iters=20)
default_hooks = dict(
    logger=dict(interval=5),
    # A measurement run: no checkpoint (the paper encoder's takes seconds to write).
    checkpoint=dict(interval=10**9, save_last=False),
)
