# The encoder-independent part of SeqCLR pretraining: the algorithm, window-to-instance
# mapping, the contrastive loss, the runtime and the paper's schedule (App. D). The files
# seqclr_<encoder>.py inherit it beside their encoder and fill in the encoder; experiment
# configs add a dataset, the instance mapping, the projection head and the representation.
_base_ = ['seqclr_runtime.py', 'schedules/schedule_adadelta_200k.py']

model = dict(
    type='SeqCLR',
    representation='contextual',
    instance_mapper=dict(type='WindowToInstance', num_windows=5),
    loss=dict(type='SequenceContrastiveLoss', temperature=0.1),
    data_preprocessor=dict(type='SeqCLRDataPreprocessor'),
)
