# SeqCLR fine-tuning with writer-style augmentation (issue 12): the demo's fine-tuning recipe
# (the whole small-resnet-bilstm recognizer with a CTC decoder of
# supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py, from the pretrained
# encoder) on the 2,000-iteration schedule of the --full replica (lr x0.1 at 1,200 and 1,600), its
# training images also slanted, narrowed and perspective-jittered (recog_pipelines.py,
# writer_style_augment): the val and test hands are writers the recognizer never saw, and these
# are ways writers differ.
# Pass the encoder: --cfg-options load_from=work_dirs/<pretrain>/encoder.pth
_base_ = '../supervised/supervised_ctc_small-resnet-bilstm_1200it_demo-handwriting-10pct.py'

# The same 10% subset (seed 0) for every method compared; other fractions and seeds:
# --cfg-options train_dataloader.dataset.fraction=0.05 train_dataloader.dataset.seed=1
train_dataloader = dict(
    dataset=dict(
        dataset=dict(
            pipeline=[
                dict(_base_.recog_text_check, dictionary=_base_.demo_hw_dictionary),
                *_base_.recog_train_pipeline_writer_style,
            ]
        )
    )
)

max_iters = 2000
train_cfg = dict(max_iters=max_iters, val_interval=200)
param_scheduler = [dict(type='MultiStepLR', by_epoch=False, milestones=[1200, 1600], gamma=0.1)]

load_from = None
# Reports the encoder keys of load_from and stops on any mismatch before training.
custom_hooks = [dict(type='PretrainedEncoderCheckHook', strict=True)]
