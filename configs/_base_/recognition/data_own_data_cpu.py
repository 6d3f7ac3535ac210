# data_own_data.py with CPU-sized loaders (batch 32, 2 workers, none kept between epochs).
_base_ = ['data_own_data.py']

train_dataloader = dict(batch_size=32, num_workers=2, persistent_workers=False)
val_dataloader = dict(batch_size=32, num_workers=1, persistent_workers=False)
test_dataloader = dict(batch_size=32, num_workers=1, persistent_workers=False)
