# mmseg's runtime, plus the plugin import that registers RED-Net's components.
_base_ = ['mmseg::_base_/default_runtime.py']
custom_imports = dict(imports=['rednet_mmseg'], allow_failed_imports=False)
