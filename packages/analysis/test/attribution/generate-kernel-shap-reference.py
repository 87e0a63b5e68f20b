"""Regenerates kernel-shap-reference.json: KernelSHAP cases beyond the shared fixture, computed by
shap 0.51's own KernelExplainer code (shap/explainers/_kernel.py and shap/utils/_legacy.py at tag v0.51.0).

shap itself needs a compiled extension and many packages, so this runs those two files inside a stub
package: pass a shap git checkout; the stubs replace only the compiled `_exp_val` loop (written out in
Python, same arithmetic), `Explanation`, `Explainer` and `safe_isinstance`. Needs numpy, scipy, pandas,
scikit-learn (for lars_path), tqdm and packaging. The kernel_shap_* cases of stats-reference.json come out
identical through this stub, which is the check that it is faithful.

    python3 generate-kernel-shap-reference.py /path/to/shap-checkout kernel-shap-reference.json
    npx prettier --write kernel-shap-reference.json
"""
import os
import subprocess
import sys
import tempfile


def build_stub(checkout):
    root = tempfile.mkdtemp()
    files = {
        'shap/explainers/_kernel.py': 'shap/explainers/_kernel.py',
        'shap/utils/_legacy.py': 'shap/utils/_legacy.py',
        'shap/utils/_exceptions.py': 'shap/utils/_exceptions.py',
    }
    for target, source in files.items():
        os.makedirs(os.path.join(root, os.path.dirname(target)), exist_ok=True)
        text = subprocess.run(['git', '-C', checkout, 'show', 'v0.51.0:' + source], check=True, capture_output=True, text=True).stdout
        open(os.path.join(root, target), 'w').write(text)
    stubs = {
        'shap/__init__.py': '',
        'shap/explainers/__init__.py': '',
        'shap/utils/__init__.py': 'def safe_isinstance(obj, class_path_str):\n    return False\n',
        'shap/_explanation.py': 'class Explanation:\n    pass\n',
        'shap/explainers/_explainer.py': 'class Explainer:\n    pass\n',
        '_kernel_lib.py': (
            'import numpy as np\n'
            'def _exp_val(nsamples_run, nsamples_added, D, N, weights, y, ey):\n'
            '    for i in range(nsamples_run, nsamples_added):\n'
            '        eyVal = np.zeros(D)\n'
            '        for j in range(N):\n'
            '            for k in range(D):\n'
            '                eyVal[k] += y[i * N + j, k] * weights[j]\n'
            '        ey[i, :] = eyVal\n'
            '        nsamples_run += 1\n'
            '    return ey, nsamples_run\n'
        ),
    }
    for target, text in stubs.items():
        open(os.path.join(root, target), 'w').write(text)
    return root


sys.path.insert(0, build_stub(sys.argv[1]))
import json

import numpy as np
import sklearn
from shap.explainers._kernel import KernelExplainer
from shap.utils._legacy import DenseData

rng = np.random.default_rng(20260514)
A = [0.9, -1.3, 0.4, 0.0, 2.1, -0.7, 0.25, 1.1, -0.05, 0.6, -1.8, 0.02]

def f12(X):
    lin = X @ np.array(A)
    return lin + X[:, 0] * X[:, 1] + np.sin(X[:, 2]) * X[:, 3] + 0.3 * X[:, 4] ** 2 + np.tanh(X[:, 5] + X[:, 6])

cases = {}
bg = rng.normal(size=(8, 12)).round(6)
queries = (rng.normal(size=(2, 12)) * 1.5).round(6)
queries[1, 3] = bg[0, 3]  # equal to one background row only: column 3 still varies
bg[:, 8] = 0.25; queries[1, 8] = 0.25  # column 8 constant in background and equal in query 1: does not vary there
e = KernelExplainer(f12, bg)
cases['m12_default_l1'] = dict(
    function='f12', background=bg.tolist(), queries=queries.tolist(), options=dict(nsamples=4094),
    expected_value=float(e.expected_value),
    shap_values=e.shap_values(queries, nsamples=4094, silent=True).tolist(),
    note="shap 0.51 KernelExplainer, nsamples=4094 (all coalitions), default l1_reg='num_features(10)'")
cases['m12_no_l1'] = dict(
    function='f12', background=bg.tolist(), queries=queries.tolist(), options=dict(nsamples=4094, l1Reg=False),
    expected_value=float(e.expected_value),
    shap_values=e.shap_values(queries, nsamples=4094, l1_reg=False, silent=True).tolist(),
    note="shap 0.51 KernelExplainer, nsamples=4094 (all coalitions), l1_reg=False")
cases['m12_l1_4'] = dict(
    function='f12', background=bg.tolist(), queries=queries.tolist(), options=dict(nsamples=4094, l1Reg=dict(numFeatures=4)),
    expected_value=float(e.expected_value),
    shap_values=e.shap_values(queries, nsamples=4094, l1_reg='num_features(4)', silent=True).tolist(),
    note="shap 0.51 KernelExplainer, nsamples=4094 (all coalitions), l1_reg='num_features(4)'")

# groups: 6 columns in 3 groups
def f6(X):
    return X[:, 0] * X[:, 3] + np.tanh(X[:, 1]) - 0.5 * X[:, 2] * X[:, 5] + X[:, 4]
bg6 = rng.normal(size=(6, 6)).round(6)
q6 = rng.normal(size=(2, 6)).round(6)
groups = [[0, 3], [1, 2], [4, 5]]
data = DenseData(bg6, ['a', 'b', 'c'], [np.array(g) for g in groups])
e6 = KernelExplainer(f6, data)
cases['groups'] = dict(function='f6', background=bg6.tolist(), queries=q6.tolist(), options=dict(groups=groups),
    expected_value=float(e6.expected_value), shap_values=e6.shap_values(q6, silent=True).tolist(),
    note="shap 0.51 KernelExplainer on DenseData with groups [[0,3],[1,2],[4,5]], defaults")

# vector output, 3 outputs, 5 features
def fv(X):
    return np.stack([X[:, 0] + X[:, 1] * X[:, 2], np.sin(X[:, 3]) * X[:, 4], X[:, 0] ** 2 - X[:, 4]], axis=1)
bg5 = rng.normal(size=(7, 5)).round(6)
q5 = rng.normal(size=(2, 5)).round(6)
ev = KernelExplainer(fv, bg5)
sv = ev.shap_values(q5, silent=True)  # (queries, features, outputs)
cases['vector_output'] = dict(function='fv', background=bg5.tolist(), queries=q5.tolist(), options={},
    expected_value=np.asarray(ev.expected_value).tolist(), shap_values=np.transpose(sv, (0, 2, 1)).tolist(),
    note="shap 0.51 KernelExplainer with a 3-output model, defaults; shap_values[query][output][feature]")

out = dict(generated_with=dict(shap='0.51.0 (shap/explainers/_kernel.py at tag v0.51.0, run through a stub package)',
                               numpy=np.__version__, scikit_learn=sklearn.__version__), cases=cases)
json.dump(out, open(sys.argv[2], 'w'), indent=1)
for k, v in cases.items(): print(k, np.array(v['shap_values']).round(4).tolist())
