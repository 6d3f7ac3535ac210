# Table 1 (paper): SeqCLR frame-to-instance with a BiLSTM projection head, R = H, on the CPU-sized
# encoder; everything else as the demo's window-to-instance pretraining.
_base_ = './seqclr_window-bilstm_small-resnet-bilstm_500it_demo-handwriting.py'

model = dict(instance_mapper=dict(_delete_=True, type='FrameToInstance'))
