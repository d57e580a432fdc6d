"""The tools' shared detector options (``rednet_mmseg/apis/tool_args.py``)."""

import argparse

import pytest

from rednet_mmseg.apis.tool_args import add_detector_arguments


def _parser():
    parser = argparse.ArgumentParser(prog='tool')
    add_detector_arguments(parser)
    return parser


def test_upsample_defaults_to_auto_and_takes_the_listed_values():
    assert _parser().parse_args([]).upsample == 'auto'
    for text, value in (('auto', 'auto'), ('0', 0), ('1', 1), ('2', 2)):
        assert _parser().parse_args(['--upsample', text]).upsample == value


@pytest.mark.parametrize('text', ['3', '-1', 'twice', '1.5'])
def test_other_upsamplings_are_a_usage_error_naming_the_choices(text, capsys):
    with pytest.raises(SystemExit) as stop:
        _parser().parse_args(['--upsample', text])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert '--upsample' in err and 'auto' in err and text in err
