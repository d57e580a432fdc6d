import shutil

import cv2
import numpy as np
import pytest

from rednet_mmseg.datasets.converters import ConversionError, convert_celebamask_hq


def test_merges_masks_and_uses_official_split(celebamask_release, tmp_path, digest):
    src, names, labels = celebamask_release
    before = digest(src)
    counts = convert_celebamask_hq(src, str(tmp_path / 'o'), progress=False)
    assert counts == dict(train=2, val=1, test=2)
    for split, ids in names.items():
        for i in ids:
            got = cv2.imread(str(tmp_path / 'o' / 'annotations' / split / f'{i}.png'), 0)
            assert np.array_equal(got, labels[i])
            assert cv2.imread(str(tmp_path / 'o' / 'images' / split / f'{i}.jpg')).shape == (
                512,
                512,
                3,
            )
    assert digest(src) == before


def test_later_parts_overwrite_earlier(tmp_path):
    from rednet_mmseg.datasets.converters.celebamask_hq import merge_masks

    folder = tmp_path / '0'
    folder.mkdir()
    skin = np.zeros((512, 512), np.uint8)
    skin[100:200, 100:200] = 255
    nose = np.zeros((512, 512), np.uint8)
    nose[150:160, 150:160] = 255
    cv2.imwrite(str(folder / '00007_skin.png'), skin)
    cv2.imwrite(str(folder / '00007_nose.png'), nose)
    label = merge_masks(str(tmp_path), 7)
    assert label[120, 120] == 1 and label[155, 155] == 2 and label[0, 0] == 0


@pytest.mark.parametrize(
    'damage,message',
    [
        ('partition', 'has no entry in the partition file'),
        ('mask', 'not a 512x512 mask'),
        ('mapping', 'expected "idx orig_idx orig_file"'),
    ],
)
def test_errors(celebamask_release, tmp_path, damage, message):
    src = tmp_path / 'src'
    shutil.copytree(celebamask_release[0], src)
    if damage == 'partition':
        lines = (src / 'list_eval_partition.txt').read_text().splitlines()
        (src / 'list_eval_partition.txt').write_text('\n'.join(lines[1:]) + '\n')
    elif damage == 'mask':
        cv2.imwrite(
            str(src / 'CelebAMask-HQ-mask-anno' / '0' / '00001_hair.png'),
            np.zeros((10, 10), np.uint8),
        )
    else:
        (src / 'CelebA-HQ-to-CelebA-mapping.txt').write_text('idx orig_idx orig_file\nx y\n')
    with pytest.raises(ConversionError, match=message):
        convert_celebamask_hq(str(src), str(tmp_path / 'o'), progress=False)
    assert not (tmp_path / 'o').exists()
