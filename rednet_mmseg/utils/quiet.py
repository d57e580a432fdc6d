"""Upstream messages that read like errors but concern no user, hidden where we cause them.

Building an ``MMSegInferencer`` (mmseg 1.2.2, mmengine 0.10.7) prints, on every run:

- ``Loads checkpoint by local backend from path: ...`` (mmengine's ``_load_checkpoint``, a
  plain ``print``, or a log line);
- ``UserWarning: ``build_loss`` would be deprecated soon`` (mmseg's own decode heads call it);
- ``UserWarning: Failed to add <class '...LocalVisBackend'>, please provide the `save_dir```
  (the inferencer's visualizer has no save folder by design);
- ``pkg_resources is deprecated`` (``face_recognition_models`` imports it).

:func:`quiet_upstream` hides exactly these, and only while its ``with`` block runs: nothing is
filtered for the rest of the process, and every other warning or log line still shows.
"""

import contextlib
import logging
import warnings

#: (message regex, category) of the upstream warnings hidden by :func:`quiet_upstream`.
UPSTREAM_WARNINGS = (
    (r'``build_loss`` would be deprecated', UserWarning),
    (r"Failed to add <class 'mmengine\.visualization\.vis_backend\.LocalVisBackend'>", UserWarning),
    (r'pkg_resources is deprecated', UserWarning),
)
#: Beginnings of mmengine log lines hidden by :func:`quiet_upstream`.
UPSTREAM_LOG_LINES = ('Loads checkpoint by ', 'Failed to search registry with scope')


class _DropLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith(UPSTREAM_LOG_LINES)


class _DropPrinted:
    """A stdout that drops the lines of :data:`UPSTREAM_LOG_LINES` and passes the rest on."""

    def __init__(self, stream):
        self.stream = stream
        self._dropped = False  # print() writes its line end separately

    def write(self, text: str) -> int:
        if text.startswith(UPSTREAM_LOG_LINES):
            self._dropped = True
        elif not (self._dropped and text == '\n'):
            self._dropped = False
            self.stream.write(text)
        else:
            self._dropped = False
        return len(text)

    def __getattr__(self, name):
        return getattr(self.stream, name)


@contextlib.contextmanager
def quiet_upstream():
    """Hide :data:`UPSTREAM_WARNINGS` and :data:`UPSTREAM_LOG_LINES` inside the block.

    >>> import warnings
    >>> with quiet_upstream(), warnings.catch_warnings(record=True) as seen:
    ...     warnings.simplefilter('always')
    ...     warnings.warn('something else')
    >>> [str(w.message) for w in seen]
    ['something else']
    """
    import sys

    from mmengine.logging import MMLogger

    logger = MMLogger.get_current_instance()
    drop = _DropLines()
    logger.addFilter(drop)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(_DropPrinted(sys.stdout)):
            for message, category in UPSTREAM_WARNINGS:
                warnings.filterwarnings('ignore', message=message, category=category)
            yield
    finally:
        logger.removeFilter(drop)


def hide_upstream_warnings() -> None:
    """Hide :data:`UPSTREAM_WARNINGS` for the rest of a *tool's* process (``tools/*.py``).

    Only the command-line tools call this (their process is theirs); importing the package never
    does.
    """
    for message, category in UPSTREAM_WARNINGS:
        warnings.filterwarnings('ignore', message=message, category=category)
