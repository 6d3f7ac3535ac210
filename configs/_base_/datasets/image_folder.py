# Unlabeled images found recursively under the data root (.png, .jpg, .jpeg,
# .bmp, .tif, .tiff, .webp), for self-supervised pre-training.
image_folder_data_root = 'data/unlabeled'

image_folder_unlabeled = dict(
    type='ImageFolderDataset', data_root=image_folder_data_root, pipeline=None
)
