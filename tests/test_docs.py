"""The documents stay true: every config path they name exists, and guides are linked."""

import glob
import os.path as osp
import re

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DOCS = (
    ['README.md', 'CHANGELOG.md']
    + sorted(glob.glob(osp.join(REPO, 'docs', 'en', '*.md')))
    + sorted(glob.glob(osp.join(REPO, 'configs', '*', 'README.md')))
    + sorted(glob.glob(osp.join(REPO, 'tools', '**', '*.py'), recursive=True))
    + sorted(glob.glob(osp.join(REPO, 'tools', '*.sh')))
    + sorted(glob.glob(osp.join(REPO, 'rednet_mmseg', '**', '*.py'), recursive=True))
)
CONFIG_PATH = re.compile(r'(?<![\w/.-])(configs/[\w./-]+?\.py)\b')


def test_every_named_config_exists():
    missing = []
    for doc in DOCS:
        text = open(osp.join(REPO, doc), encoding='utf-8').read()
        for path in CONFIG_PATH.findall(text):
            if '...' not in path and not osp.isfile(osp.join(REPO, path)):
                missing.append(f'{osp.relpath(osp.join(REPO, doc), REPO)}: {path}')
    assert not missing, missing


def test_readme_is_short_and_links_the_guides():
    readme = open(osp.join(REPO, 'README.md'), encoding='utf-8').read()
    assert len(readme.splitlines()) <= 200
    guides = sorted(glob.glob(osp.join(REPO, 'docs', 'en', '*.md')))
    linked = [g for g in guides if f'docs/en/{osp.basename(g)}' in readme]
    assert len(linked) >= 4 and len(linked) == len(guides), set(guides) - set(linked)
    for target in re.findall(r'\]\(([^)#\s]+)\)', readme):
        if not target.startswith('http'):
            assert osp.exists(osp.join(REPO, target)), target
