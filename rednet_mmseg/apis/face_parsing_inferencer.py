"""MMSegInferencer for face parsing.

Landmarks given or detected, the prior's bank, label maps named after their images.
"""

import copy
import os.path as osp
from typing import Dict, Iterable, Iterator, List, Optional, Sequence

import mmengine
import numpy as np
import torch
from mmengine.config import Config
from mmseg.apis import MMSegInferencer
from PIL import Image

from ..datasets.landmark_table import image_key
from ..datasets.transforms.prior_storage import check_prior_pipeline
from ..models.segmentors.face_tta_model import FaceSegTTAModel, config_flip_pairs, mirror_batch
from ..utils.blas_threads import one_blas_thread
from ..utils.checkpoint_fit import check_checkpoint_fits
from ..utils.quiet import quiet_upstream
from ..utils.upstream_compat import checkpoint_policy
from ..visualization import lazy_figure_visualizer  # noqa: F401  (registers the visualizer)
from .crop_parser import CropParser, check_scales
from .face_finder import FaceFinder
from .guided_refine import check_refine, config_refine
from .image_inputs import read_image
from .multi_face import CONTEXT, Face, check_face_options, parse_faces
from .pipeline_crop_parser import PipelineCropParser

_PRIOR_TRANSFORMS = ('LoadFaceLandmarks', 'LoadFacePrior')

#: Test-pipeline transforms that need the 5 key points of every image.
LANDMARK_TRANSFORMS = ('LoadFaceLandmarks', 'LoadFacePrior', 'FaceCropResize')


def config_needs_landmarks(cfg: Config) -> bool:
    """Whether the config's test pipeline needs the 5 landmarks of every image.

    Face crops and the adaptive prior need them.
    """
    return any(t['type'] in LANDMARK_TRANSFORMS for t in cfg.test_dataloader.dataset.pipeline)


def config_needs_dense_points(cfg: Config) -> bool:
    """Whether the config's test pipeline takes each face's 68 points (the dense prior)."""
    return any(
        t['type'] == 'LoadFaceLandmarks' and t.get('dense', False)
        for t in cfg.test_dataloader.dataset.pipeline
    )


def _write_overlay(overlay: np.ndarray, out_file: str) -> None:
    """Write a BGR overlay image, its folder made; an error naming the file if it cannot."""
    import cv2

    mmengine.mkdir_or_exist(osp.dirname(out_file))
    if not cv2.imwrite(out_file, overlay):
        raise OSError(f'{out_file}: the overlay could not be written')


class FaceParsingInferencer(MMSegInferencer):
    """``MMSegInferencer`` with the face-parsing extras; call it exactly like its parent.

    - Configs whose test pipeline needs landmarks (face crops, the adaptive prior) parse by the
      one path that ``tools/parse_faces.py`` and ``tools/parse_video.py`` use
      (:meth:`parse_image`): every face (``select``, ``max_faces``, ``min_face_size``) in its own
      crop (``context``) with its own prior, mirrored too (``flip``), its class probabilities
      refined along the photo's edges (``refine``), composited into one label
      map at the image's resolution. The same image, model and options give the same label map
      through the API, the photo tool and the video tool. The 5 points of each face come from
      ``landmarks`` (in memory: image name -> ``(5, 2)``, one face per image), from
      ``landmarks_file`` (a table, ``rednet_mmseg.datasets.landmark_table``) or, without
      either, from the ``detector`` (default: ``FaceLandmarkDetector()``, as the tools'
      defaults); an image without a face is an error naming it. Prior configs may take another
      ``prior_bank``. What differs from ``MMSegInferencer`` on these configs: overlays are
      drawn as the tools draw them (colours blended over the face pixels; class names in
      ``draw_legend``), not by mmseg's visualizer; ``batch_size`` does not batch images; arrays
      are ``(H, W, 3)`` uint8 BGR, as for mmseg.
    - The checkpoint must fit the model: weights it leaves unloaded or of another shape are an
      error naming the file (``rednet_mmseg.utils.checkpoint_fit``), unless ``allow_partial``.
    - ``pred_out_dir`` label maps are written as ``<image name>.png`` (uint8 class indices at
      the image's resolution) instead of mmseg's running counter ``00000000_pred.png``, so
      they line up with their inputs; overlays keep the input's file name (as in mmseg).

    Args:
        model (str | Config, optional): config file or object, or the name of a model that
            ships with the package (``'fast'``, ...: ``rednet_mmseg.apis.model_zoo``), which
            comes with its weights and bank. Default: ``'fast'``.
        weights (str): checkpoint (loaded weights-only, see ``rednet_mmseg.utils.checkpoint``).
        landmarks (dict, optional): image name (with or without extension) -> ``(5, 2)``.
        landmarks_file (str, optional): landmark table (default: detect the landmarks).
        prior_bank (str, optional): replaces ``bank_file`` of ``LoadFacePrior``.
        fuse (bool): fold BatchNorm into the convolutions: the same outputs to float rounding,
            about a sixth less model time (docs/en/inference.md). Default: True.
        channels_last (bool): keep the weights in channels-last (NHWC) memory format, as
            ``ChannelsLastHook`` does in ``tools/test.py`` (faster on CPU). Default: True.
        allow_partial (bool): load a checkpoint that does not fit, with a warning (and a model
            without ``weights``). Default: False.
        flip (bool): average every prediction with that of its mirror image (left/right
            classes swapped back, :class:`~rednet_mmseg.models.segmentors.FaceSegTTAModel`):
            more accurate, twice the model time. Default: True, as ``tools/parse_faces.py``
            (mmseg's inferencer has no mirroring; ``tools/parse_video.py`` turns it off by
            default for speed).
        refine (str): ``'guided'``: each crop's class probabilities refined by the guided filter
            before the argmax (:mod:`~rednet_mmseg.apis.guided_refine`; chosen on the dev
            set's tuning photos, docs/en/inference.md); ``'none'``: the argmax of the network's
            (as ``tools/test.py``). Default (None): the model's own, its config's
            ``parse_cfg.refine`` (both shipped models: ``'none'``), else ``'guided'``.
        flip_pairs (list, optional): left/right class pairs for ``flip``. Default: the
            ``swap_seg_labels`` of the config's training flip, else the pairs in the class
            names (``left_eye`` / ``right_eye``, ``l_eye`` / ``r_eye``).
        select (str): ``'all'`` faces (default), the ``'largest'`` or the ``'central'`` one.
        max_faces (int, optional): parse at most this many (the largest).
        min_face_size (int): ignore detected faces smaller than this (px).
        context (float): crop half-size in units of the key points' extent
            (:data:`~rednet_mmseg.apis.multi_face.CONTEXT`).
        detector (FaceLandmarkDetector, optional): the face detector (default: created on the
            first image that needs it, with the tools' default options).
        fast_path (bool): parse face crops by :class:`~rednet_mmseg.apis.crop_parser.CropParser`
            (tensor operations instead of packed data samples; the same label maps except at
            float-rounding ties) where the test pipeline allows; False: always by the packed
            pipeline (:attr:`reference_parser`,
            :class:`~rednet_mmseg.apis.pipeline_crop_parser.PipelineCropParser`). Default: True.
        backend (str): what runs the network on the hot path: ``'pytorch'`` (default) or
            ``'onnxruntime'`` (exported once with dynamic sizes and cached; the same label maps
            but at float-rounding ties; not faster on 2 CPU cores: docs/en/inference.md).
            Needs the hot path.
        scales (Sequence[float]): parse each face at these scales of the config's face size
            and average the class probabilities (a multi-scale test; more than one needs the
            hot path): ``(1.0, 1.25)`` gained 0.4 overall F1 on the dev set's tuning photos at
            2.6 times the network time (docs/en/inference.md). Default: ``(1.0,)``.
        **kwargs: :class:`MMSegInferencer` arguments (``device``, ``palette``, ...).
    """

    def __init__(
        self,
        model=None,
        weights: Optional[str] = None,
        landmarks_file: Optional[str] = None,
        prior_bank: Optional[str] = None,
        fuse: bool = True,
        channels_last: bool = True,
        landmarks: Optional[Dict[str, np.ndarray]] = None,
        allow_partial: bool = False,
        flip: bool = True,
        refine: Optional[str] = None,
        flip_pairs: Optional[List[tuple]] = None,
        select: str = 'all',
        max_faces: Optional[int] = None,
        min_face_size: int = 0,
        context: float = CONTEXT,
        detector=None,
        fast_path: bool = True,
        backend: str = 'pytorch',
        scales: Sequence[float] = (1.0,),
        **kwargs,
    ):
        from .model_zoo import resolve_model

        # a shipped real-face model by name (or none given); explicit arguments still win
        model, weights, prior_bank = resolve_model(model, weights, prior_bank)
        self.prior_bank = prior_bank
        self.allow_partial = allow_partial
        self.flip = flip
        self.refine = None if refine is None else check_refine(refine)
        check_face_options(select, max_faces, min_face_size, context)
        self.faces = FaceFinder(
            landmarks, landmarks_file, select, max_faces, min_face_size, detector
        )
        self.context = context
        self._weights = weights
        if isinstance(model, str) and osp.isfile(model):
            model = Config.fromfile(model)
        if weights is None and not allow_partial:
            raise ValueError(
                'FaceParsingInferencer: no weights given; a model at its random initialisation '
                'would parse nothing meaningful (pass allow_partial=True to do so anyway)'
            )
        # upstream lines that read like errors (utils/quiet.py); weights by our trust policy
        with quiet_upstream(), checkpoint_policy():
            super().__init__(model, weights=weights, **kwargs)
        if self.refine is None:  # the model's own default
            self.refine = config_refine(self.cfg)
        classes = (self.model.dataset_meta or {}).get('classes')
        self._tta = FaceSegTTAModel(self.model, config_flip_pairs(self.cfg, flip_pairs, classes))
        if fuse:
            from ..deployment.fuse_conv_bn import fuse_conv_bn

            fuse_conv_bn(self.model.eval())
        if channels_last:  # as ChannelsLastHook does for tools/test.py: the NHWC conv paths
            self.model.to(memory_format=torch.channels_last)
        #: the reference path of a face crop: the packed test pipeline
        self.reference_parser = PipelineCropParser(self._tta, self.pipeline, self.collate_fn)
        #: what parses each face crop: the hot path where the test pipeline allows
        self.crop_parser = self.reference_parser
        scales = check_scales(scales)
        if fast_path and CropParser.supports(self.pipeline.transforms):
            transforms = self.pipeline.transforms
            self.crop_parser = CropParser(
                self.model, transforms, self._tta.flip_pairs, backend, scales
            )
        elif backend != 'pytorch' or scales != (1.0,):
            what = f'backend={backend!r}' if backend != 'pytorch' else f'scales={scales}'
            raise ValueError(
                f'FaceParsingInferencer: {what} runs the hot path only, which this '
                "config's test pipeline or fast_path=False does not allow"
            )

    def _init_visualizer(self, cfg):
        """The config's visualizer, its matplotlib figure made on first use (0.8 s of start-up).

        A config's ``SegLocalVisualizer`` is built as ``LazyFigureSegVisualizer``
        (:mod:`rednet_mmseg.visualization.lazy_figure_visualizer`); other visualizers as given.
        """
        if cfg.get('visualizer', {}).get('type') == 'SegLocalVisualizer':
            cfg.visualizer.type = 'LazyFigureSegVisualizer'
        return super()._init_visualizer(cfg)

    def forward(self, inputs: dict, flip: Optional[bool] = None, **kwargs) -> list:
        """Predict a packed batch, mirrored too with ``flip`` (default: the inferencer's).

        mmseg's inference path of configs without landmarks: each image and its mirror image
        are predicted in one batch and merged by
        :class:`~rednet_mmseg.models.segmentors.FaceSegTTAModel`. Face configs mirror the face
        before its prior is made (:meth:`parse_faces`); a packed batch with a prior is refused
        mirrored (:func:`~rednet_mmseg.models.segmentors.face_tta_model.mirror_batch`).
        """
        if not self._flips(flip):
            return super().forward(inputs, **kwargs)
        return self._predict_with_mirror(inputs, mirror_batch(inputs))

    def _flips(self, flip: Optional[bool]) -> bool:
        """A call's ``flip``, the inferencer's where the call gives none."""
        return self.flip if flip is None else flip

    def _predict_with_mirror(self, batch: dict, mirrored: dict) -> list:
        """Predict ``batch`` and its ``mirrored`` copy in one forward pass and merge them."""
        n = len(batch['inputs'])
        both = {k: list(batch[k]) + list(mirrored[k]) for k in ('inputs', 'data_samples')}
        preds = super().forward(both)
        return self._tta.merge_preds([[a, b] for a, b in zip(preds[:n], preds[n:])])

    def _load_weights_to_model(self, model, checkpoint, cfg) -> None:
        if checkpoint is not None:
            check_checkpoint_fits(model, checkpoint, str(self._weights), self.allow_partial)
        super()._load_weights_to_model(model, checkpoint, cfg)

    @property
    def uses_prior(self) -> bool:
        """Whether the pipeline loads the adaptive prior."""
        return any(type(t).__name__ in _PRIOR_TRANSFORMS for t in self.pipeline.transforms)

    @property
    def needs_landmarks(self) -> bool:
        """Whether the pipeline needs the 5 landmarks of every image."""
        return config_needs_landmarks(self.cfg)

    @property
    def landmarks_file(self) -> Optional[str]:
        """The landmark table given (None: given points or detection)."""
        return self.faces.landmarks_file

    def set_landmarks(self, landmarks: Optional[Dict[str, np.ndarray]]) -> None:
        """Use these points (image name -> ``(5, 2)``) for the next calls' images.

        ``None`` goes back to ``landmarks_file`` or detection.
        """
        self.faces.set_landmarks(landmarks)

    @property
    def detector(self):
        """The face detector (:class:`~rednet_mmseg.apis.face_finder.FaceFinder`'s)."""
        return self.faces.detector

    def find_faces(self, img: np.ndarray, name: str = '<image>') -> List[Face]:
        """The faces to parse in ``img``: :meth:`FaceFinder.find`."""
        return self.faces.find(img, name)

    def parse_image(self, image, faces=None, name: Optional[str] = None):
        """Parse every face of one image: the one path of the API and the tools.

        Args:
            image (str | np.ndarray): a file (decoded by
                :func:`~rednet_mmseg.apis.image_inputs.read_image`, EXIF orientation applied)
                or an ``(H, W, 3)`` uint8 BGR array.
            faces (list, optional): the faces (``Face``, ``FaceLandmarks`` or ``(5, 2)``
                points); default :meth:`find_faces`.
            name (str, optional): the image's name (messages, landmark look-up).

        Returns:
            ``(labels, instances, faces)`` as :meth:`parse_faces`.
        """
        if name is None:
            name = image if isinstance(image, str) else '<image>'
        img = read_image(image) if isinstance(image, str) else image
        if faces is None:
            faces = self.find_faces(img, name)
        return self.parse_faces(name, faces, img=img)

    def parse_images(self, items: Iterable, workers: Optional[int] = None) -> Iterator:
        """Parse many images, ``workers`` at once: :meth:`parse_image` of each, in order.

        Args:
            items (Iterable): images (files or ``(H, W, 3)`` uint8 BGR arrays) or ``(image,
                faces)`` pairs (``faces`` as :meth:`parse_image` takes them; ``None``: found).
                Pulled lazily in the calling thread, where files are decoded: a video's frames
                with their tracked faces may stream through.
            workers (int, optional): images parsed at once by threads that share torch's
                threads out among them while the generator runs
                (:mod:`~rednet_mmseg.apis.workers`). Default: one per torch thread on CPU, 1
                on a GPU.

        Yields:
            ``(labels, instances, faces)`` of each item, as :meth:`parse_image` gives them.

        >>> from matplotlib.cbook import get_sample_data
        >>> path = get_sample_data('grace_hopper.jpg', asfileobj=False)
        >>> inferencer = FaceParsingInferencer()
        >>> one = inferencer.parse_image(path)[0]
        >>> both = [labels for labels, _, _ in inferencer.parse_images([path, path], workers=2)]
        >>> all((labels == one).all() for labels in both)
        True
        """
        from .workers import default_workers, ordered_map, threads_per_worker

        if workers is None:
            workers = default_workers(str(next(self.model.parameters()).device))

        def decoded():
            for item in items:
                image, faces = item if isinstance(item, tuple) else (item, None)
                name = image if isinstance(image, str) else None
                yield read_image(image) if name else image, faces, name

        def parse(job):
            img, faces, name = job
            return self.parse_image(img, faces=faces, name=name)

        with threads_per_worker(workers):
            yield from ordered_map(parse, decoded(), workers)

    def __call__(
        self,
        inputs,
        return_datasamples: bool = False,
        batch_size: int = 1,
        return_vis: bool = False,
        show: bool = False,
        wait_time: int = 0,
        out_dir: str = '',
        img_out_dir: str = 'vis',
        pred_out_dir: str = 'pred',
        **kwargs,
    ) -> dict:
        """Parse ``inputs`` as mmseg's inferencer does; face configs by :meth:`parse_image`.

        Returns mmseg's ``dict(predictions=..., visualization=...)`` (one image: the arrays
        themselves; ``return_datasamples``: ``SegDataSample`` with ``pred_sem_seg``).
        ``out_dir`` gets ``pred/<image>.png`` and ``vis/<image file>`` as the tools write them.
        """
        if not self.needs_landmarks:
            return super().__call__(
                inputs,
                return_datasamples=return_datasamples,
                batch_size=batch_size,
                return_vis=return_vis,
                show=show,
                wait_time=wait_time,
                out_dir=out_dir,
                img_out_dir=img_out_dir,
                pred_out_dir=pred_out_dir,
                **kwargs,
            )
        return self._call_faces(
            inputs, return_datasamples, return_vis, out_dir, img_out_dir, pred_out_dir
        )

    def _call_faces(
        self, inputs, return_datasamples, return_vis, out_dir, img_out_dir, pred_out_dir
    ) -> dict:
        """:meth:`__call__` of face configs: each image by :meth:`parse_image`."""
        from mmengine.structures import PixelData
        from mmseg.structures import SegDataSample

        from ..visualization import blend_labels

        palette = np.asarray(self.model.dataset_meta['palette'], np.uint8)
        samples, vis = [], []
        for item in self._inputs_to_list(inputs):
            name = item if isinstance(item, str) else f'{self.num_pred_imgs:08d}'
            img = read_image(item) if isinstance(item, str) else np.asarray(item)
            labels, _, faces = self.parse_image(img, name=name)
            sample = SegDataSample(metainfo=dict(img_path=name, faces=faces))
            sample.pred_sem_seg = PixelData(data=torch.from_numpy(labels)[None])
            samples.append(sample)
            if return_vis or out_dir:
                overlay = blend_labels(img, labels, palette)
                vis.append(overlay[..., ::-1])
            if out_dir:
                stem = osp.basename(name) if isinstance(item, str) else name + '.png'
                _write_overlay(overlay, osp.join(out_dir, img_out_dir, stem))
        if return_datasamples:
            return samples[0] if len(samples) == 1 else samples
        results = self.postprocess(
            samples,
            vis if return_vis else None,
            pred_out_dir=osp.join(out_dir, pred_out_dir) if out_dir else '',
        )
        if not return_vis:
            results.pop('visualization', None)
        return results

    def parse_faces(
        self,
        path: str,
        faces,
        img: Optional[np.ndarray] = None,
        context: Optional[float] = None,
        flip: Optional[bool] = None,
        refine: Optional[str] = None,
    ):
        """Parse every face of one photo and composite them into one label map.

        Each face is parsed in its own crop with its own geometry and prior, by
        :attr:`crop_parser` (``rednet_mmseg.apis.multi_face.parse_faces``).

        Args:
            path (str): the photo (named in errors; read unless ``img`` is given).
            faces (list): :class:`~rednet_mmseg.apis.multi_face.Face`, the detector's
                ``FaceLandmarks`` or ``(5, 2)`` points.
            img (np.ndarray, optional): the photo, ``(H, W, 3)`` uint8 BGR.
            context (float, optional): crop half-size in units of the key points' extent
                (default: the inferencer's ``context``); smaller is faster
                and cuts more of the hair (docs/en/inference.md gives both).
            flip (bool, optional): average each face with its mirror image (default: the
                inferencer's ``flip``).
            refine (str, optional): ``'guided'`` or ``'none'`` (default: the inferencer's).

        Returns:
            ``(labels, instances, faces)``: ``(H, W)`` uint8 class indices, ``(H, W)`` uint8
            face numbers (0 = none), and the faces with their crops set.
        """
        if img is None:
            img = read_image(path)
        context = self.context if context is None else context
        refine = self.refine if refine is None else check_refine(refine)
        with one_blas_thread():  # numpy's BLAS would slow torch's threads (utils/blas_threads.py)
            return parse_faces(img, faces, self.crop_parser, context, self._flips(flip), refine)

    def draw(self, img_bgr: np.ndarray, labels: np.ndarray, out_file: str, opacity: float = 0.6):
        """Blend the label map's colours over the face pixels of the photo into ``out_file``.

        The colours are the model's palette; class names are in the legend (``draw_legend``). A
        plain blend: mmseg's visualizer, which also writes every class name into the image, took 190
        ms of a 250 px photo's 390 ms.
        """
        from ..visualization import blend_labels

        palette = np.asarray(self.model.dataset_meta['palette'], np.uint8)
        _write_overlay(blend_labels(img_bgr, labels, palette, opacity), out_file)

    def preprocess(self, inputs, batch_size: int = 1, **kwargs):
        """As mmengine's, with the points given in memory.

        Each image path enters the pipeline with its points (``face_landmarks``) when they are given
        in memory.
        """
        if self.faces.table is None:
            yield from super().preprocess(inputs, batch_size, **kwargs)
            return

        def load(item):
            if isinstance(item, str):
                item = dict(img_path=item, face_landmarks=self.faces.table.get(image_key(item)))
            return self.pipeline(item)

        yield from map(self.collate_fn, self._get_chunk_data(map(load, inputs), batch_size))

    def _init_collate(self, cfg):
        """Mmengine's lookup, without its warning: mmseg has no ``FUNCTIONS`` registry."""
        from mmengine.dataset import pseudo_collate

        name = cfg.test_dataloader.get('collate_fn', dict(type='pseudo_collate'))
        if isinstance(name, dict) and name.get('type') in ('pseudo_collate', None):
            return pseudo_collate
        return super()._init_collate(cfg)

    def _init_pipeline(self, cfg):
        from ..utils.pipeline_edit import set_step_args

        cfg = copy.deepcopy(cfg)  # mmseg edits the pipeline in place
        if self.landmarks_file is not None:
            set_step_args(cfg, _PRIOR_TRANSFORMS, landmarks_file=self.landmarks_file)
        if self.prior_bank is not None:
            set_step_args(cfg, ['LoadFacePrior'], bank_file=self.prior_bank)
        pipeline = super()._init_pipeline(cfg)
        check_prior_pipeline(pipeline.transforms, 'the test pipeline')
        return pipeline

    def postprocess(
        self, preds: List, visualization, return_datasample: bool = False, pred_out_dir: str = ''
    ) -> dict:
        """As mmseg's, with label maps named after their images."""
        if pred_out_dir:
            mmengine.mkdir_or_exist(pred_out_dir)
            for i, pred in enumerate(preds):
                path = pred.metainfo.get('img_path')
                name = (
                    osp.splitext(osp.basename(path))[0]
                    if isinstance(path, str)
                    else str(self.num_pred_imgs + i).zfill(8) + '_pred'
                )
                labels = pred.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
                Image.fromarray(labels).save(osp.join(pred_out_dir, name + '.png'))
        return super().postprocess(preds, visualization, return_datasample, pred_out_dir='')
