"""Landmark tables: any file name round-trips; anything else is a named LandmarkError."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rednet_mmseg.datasets.landmark_table import (
    LandmarkError,
    check_points_in_image,
    format_landmark_line,
    image_key,
    read_landmark_table,
    write_landmark_table,
)

# any character a file name may hold: no '/' (a folder) and no NUL
NAMES = st.text(
    st.characters(blacklist_characters='/\x00', blacklist_categories=('Cs',)), min_size=1
).filter(lambda n: image_key(n) not in ('', '.', '..'))
POINTS = st.lists(st.floats(-5000, 5000, allow_nan=False, width=32), min_size=10, max_size=10).map(
    lambda v: np.array(v, np.float32).reshape(5, 2)
)


@given(
    st.lists(st.tuples(NAMES, POINTS), min_size=1, max_size=6, unique_by=lambda t: image_key(t[0]))
)
def test_any_file_name_round_trips(tmp_path, rows):
    path = str(tmp_path / 'table.txt')
    write_landmark_table(path, dict(rows))
    table = read_landmark_table(path)
    assert list(table) == [image_key(n) for n, _ in rows]
    for name, pts in rows:
        assert np.allclose(table[image_key(name)], pts, atol=0.006)


def test_spaces_and_todays_tables(tmp_path):
    path = tmp_path / 't.txt'
    write_landmark_table(str(path), {'my photo.jpg': np.ones((5, 2)), ' lead': np.zeros((5, 2))})
    text = path.read_text()
    assert text.startswith('my photo.jpg 1.00 ') and '" lead" 0.00' in text
    path.write_text('a.jpg 1 2 3 4 5 6 7 8 9 10\n\n# comment\nb 1 2 3 4 5 6 7 8 9 10\r\n')
    table = read_landmark_table(str(path))  # as written by hand or by earlier versions
    assert list(table) == ['a', 'b'] and table['b'][4].tolist() == [9, 10]


@pytest.mark.parametrize(
    'line, message',
    [
        ('a 1 2 3 4 5 6 7 8 9 nan', 'the points of a are not all finite'),
        ('a 1 2 3 4 5 6 7 8 9 inf', 'the points of a are not all finite'),
        ('a 1 2 3 4 5 6 7 8 9', 'expected "<image> x1 y1'),
        ('"a 1 2 3 4 5 6 7 8 9 10', 'the quoted name is not closed'),
        ('1 2 3 4 5 6 7 8 9 10', 'expected "<image> x1 y1'),
    ],
)
def test_bad_lines_name_the_file_and_line(tmp_path, line, message):
    path = tmp_path / 't.txt'
    path.write_text('ok 1 2 3 4 5 6 7 8 9 10\n' + line + '\n')
    with pytest.raises(LandmarkError, match=message) as err:
        read_landmark_table(str(path))
    assert str(err.value).startswith(f'{path}:2: ')


def test_an_image_listed_twice(tmp_path):
    path = tmp_path / 't.txt'
    path.write_text('a.jpg 1 2 3 4 5 6 7 8 9 10\na.png 1 2 3 4 5 6 7 8 9 10\n')
    with pytest.raises(LandmarkError, match=f"{path}:2: a second line for image 'a'"):
        read_landmark_table(str(path))


@given(st.text(st.characters(blacklist_categories=('Cs',)), max_size=300))
def test_arbitrary_text_parses_or_names_the_file(tmp_path, text):
    path = tmp_path / 'any.txt'
    path.write_text(text, encoding='utf-8')
    try:
        table = read_landmark_table(str(path))
    except LandmarkError as err:
        assert str(err).startswith(f'{path}')
    else:
        assert all(p.shape == (5, 2) and np.isfinite(p).all() for p in table.values())


@given(NAMES, POINTS)
def test_one_line_parses_back(name, pts):
    from rednet_mmseg.datasets.landmark_table import parse_landmark_line

    got_name, got = parse_landmark_line(format_landmark_line(name, pts))
    assert got_name == name and np.allclose(got, pts, atol=0.006)


def test_points_far_outside_the_image_are_refused():
    pts = np.array([[30, 40], [70, 40], [50, 60], [35, 80], [65, 80]], np.float32)
    check_points_in_image(pts, (100, 100), 't.txt')
    check_points_in_image(pts - 40, (100, 100), 't.txt')  # a face cut by the border
    with pytest.raises(LandmarkError, match=r't.txt: the landmarks of me.jpg lie far outside'):
        check_points_in_image(pts * 10, (100, 100), 't.txt', image='me.jpg')
    with pytest.raises(LandmarkError, match='point 1 is at'):
        check_points_in_image(pts - 200, (100, 100), 't.txt')
    with pytest.raises(LandmarkError, match='not all finite'):
        check_points_in_image(np.full((5, 2), np.nan), (100, 100), 't.txt')
