# The full method at paper size with the recipe that works on real faces (alias
# configs/rednet_helen.py): RED-Net var a + adaptive prior, with this project's changes to the
# paper's Ours-p, each named in the file name: the prior combined by Bayes' rule ("-bayes",
# combine='product'), the class-weighted loss with half of its log-weights taken back at
# prediction ("-wce", logit_adjust=0.5), training crops from a canvas that shows what whole test
# images show ("-canvas", _base_/datasets/helen_canvas_prior.py) and AdamW ("-adamw").
_base_ = [
    '../_base_/models/rednet_re5-rd5.py',
    '../_base_/datasets/helen_canvas_prior.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_adamw_8k.py',
]
crop_size = (224, 224)
model = dict(
    type='PriorEncoderDecoder',
    data_preprocessor=dict(size=crop_size),
    prior_in_train=True,
    prior_in_test=True,
    combine='product',
    logit_adjust=0.5,
    decode_head=dict(loss_decode={{_base_.weighted_loss}}),
)
