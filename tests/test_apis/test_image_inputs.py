"""expand_inputs and read_image: inputs in a stable order, decoded as every parsing path does."""

import cv2
import numpy as np
import pytest

from rednet_mmseg.apis import expand_inputs


def test_files_folders_and_globs(tmp_path):
    (tmp_path / 'd').mkdir()
    for name in ('d/b.jpg', 'd/a.PNG', 'd/notes.txt', 'c.jpg', 'x/e.jpg'):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b'')
    paths, from_patterns = expand_inputs(
        [str(tmp_path / 'c.jpg'), str(tmp_path / 'd'), str(tmp_path / 'x' / '*.jpg')]
    )
    assert paths == [str(tmp_path / p) for p in ('c.jpg', 'd/a.PNG', 'd/b.jpg', 'x/e.jpg')]
    assert from_patterns == {str(tmp_path / p) for p in ('d/a.PNG', 'd/b.jpg', 'x/e.jpg')}


def test_errors_name_the_input(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing.jpg: no such image'):
        expand_inputs([str(tmp_path / 'nothing.jpg')])
    (tmp_path / 'a').mkdir()
    (tmp_path / 'a' / 'x.jpg').write_bytes(b'')
    (tmp_path / 'x.png').write_bytes(b'')
    with pytest.raises(ValueError, match='two inputs named x'):
        expand_inputs([str(tmp_path / 'a'), str(tmp_path / 'x.png')])


def test_a_folder_without_images_is_named_as_such(tmp_path):
    (tmp_path / 'notes.txt').write_text('no image here')
    with pytest.raises(FileNotFoundError, match=f'{tmp_path}: a folder with no images'):
        expand_inputs([str(tmp_path)])


def _exif_rotated_jpeg(path, orientation=6):
    """A 40x24 (W x H) stored JPEG whose EXIF says: show it turned (6: 90 degrees clockwise)."""
    from PIL import Image

    img = Image.fromarray(np.tile(np.arange(40, dtype=np.uint8) * 6, (24, 1))).convert('RGB')
    exif = Image.Exif()
    exif[0x0112] = orientation
    img.save(path, exif=exif.tobytes(), quality=95)


def test_read_image_applies_the_exif_orientation(tmp_path):
    from rednet_mmseg.apis.image_inputs import read_image

    path = str(tmp_path / 'phone.jpg')
    _exif_rotated_jpeg(path)
    assert read_image(path).shape == (40, 24, 3)  # upright: portrait, as a viewer shows it


def test_decoder_complaints_are_a_warning_naming_the_file(tmp_path):
    """A JPEG with 400 zeroed bytes mid-file decodes to garbage; the user is told which file."""
    from matplotlib.cbook import get_sample_data

    from rednet_mmseg.apis.image_inputs import DecodeWarning, read_image

    data = bytearray(open(get_sample_data('grace_hopper.jpg', asfileobj=False), 'rb').read())
    data[len(data) // 2 : len(data) // 2 + 400] = bytes(400)
    path = tmp_path / 'damaged.jpg'
    path.write_bytes(bytes(data))
    with pytest.warns(DecodeWarning, match=f'{path}: the decoder reports corrupt data'):
        assert read_image(str(path)).shape == (600, 512, 3)
    good = tmp_path / 'good.png'
    cv2.imwrite(str(good), np.zeros((8, 8, 3), np.uint8))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a clean file: no warning at all
        read_image(str(good))


def test_a_photo_over_the_pixel_limit_is_refused_by_name(tmp_path, monkeypatch):
    from rednet_mmseg.apis import image_inputs

    path = tmp_path / 'huge.png'
    cv2.imwrite(str(path), np.zeros((30, 40, 3), np.uint8))
    monkeypatch.setattr(image_inputs, 'MAX_PIXELS', 1000)
    with pytest.raises(ValueError, match=f'{path}: 40x30 pixels is more than'):
        image_inputs.read_image(str(path))
