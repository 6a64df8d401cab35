"""A pydantic v2 face on an installed pydantic v1 (quorumkit's own code, for tests only).

QuorumVM's compiler (quorumvm/compiler/ir.py, package.py) uses two pydantic v2 APIs:
``BaseModel.model_dump(**kw)`` and the ``model_post_init(__context)`` hook run after validation.
Debian ships pydantic 1.10, and this machine reaches no PyPI, so quorumkit's QuorumVM-suite test
puts this directory first on PYTHONPATH: it loads the real pydantic from the rest of sys.path under
its own name, then adds ``model_dump`` (= v1 ``dict``) and calls ``model_post_init`` after
``__init__``. With pydantic v2 installed it changes nothing.
"""

import importlib.machinery
import importlib.util
import os
import sys

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.machinery.PathFinder.find_spec(__name__, [p for p in sys.path if os.path.abspath(p or ".") != _HERE])
if _spec is None or _spec.loader is None:
    raise ImportError("pydantic shim: no real pydantic installed beside it")
_real = importlib.util.module_from_spec(_spec)
sys.modules[__name__] = _real
_spec.loader.exec_module(_real)

if not str(getattr(_real, "VERSION", "1")).startswith("2"):
    _BaseModel = _real.BaseModel

    def _model_dump(self, **kwargs):
        return self.dict(**kwargs)

    _v1_init = _BaseModel.__init__

    def _init(self, *args, **kwargs):
        _v1_init(self, *args, **kwargs)
        hook = getattr(type(self), "model_post_init", None)
        if hook is not None:
            hook(self, None)

    _BaseModel.model_dump = _model_dump
    _BaseModel.__init__ = _init
