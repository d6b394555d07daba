"""Docstring checks: numpydoc validation and completeness of the API reference.

Every public class and function (every name in the ``__all__`` of
``sklearn_zsl``, of its public subpackages and of their public modules) and every
public method or property those classes define is validated with
:func:`numpydoc.validate.validate`.
A fixed set of error codes fails the test (``ENFORCED_CODES``); the others are
ignored for the reasons given in ``IGNORED_CODES``. A second test checks that
``doc/api.rst`` lists every public name, so that nothing added later is missing
from the API reference.
"""

# Authors: The sklearn_zsl developers
# SPDX-License-Identifier: BSD-3-Clause

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import sklearn_zsl

numpydoc_validate = pytest.importorskip("numpydoc.validate")

API_RST = Path(__file__).resolve().parents[1] / "doc" / "api.rst"

#: numpydoc error codes that fail the test.
ENFORCED_CODES = {
    # a docstring exists and is well formed
    "GL03": "double line break",
    "GL05": "tabs instead of spaces",
    "GL06": "unknown section",
    "GL07": "sections in the wrong order",
    "GL08": "no docstring",
    "GL10": "reST directive without two colons",
    # a one-line summary, capitalised, ending with a period, infinitive verb
    "SS01": "no summary",
    "SS02": "summary does not start with a capital letter",
    "SS03": "summary does not end with a period",
    "SS04": "summary with leading whitespace",
    "SS05": "summary starts with a third-person verb",
    "SS06": "summary longer than one line",
    # Parameters match the signature, each with a type and a description
    "PR01": "parameter of the signature not documented",
    "PR02": "documented parameter not in the signature",
    "PR03": "parameters in the wrong order",
    "PR04": "parameter without a type",
    "PR05": "parameter type ending with a period",
    "PR06": "non-canonical type name (integer, boolean, string)",
    "PR07": "parameter without a description",
    "PR08": "parameter description not capitalised",
    "PR09": "parameter description not ending with a period",
    "PR10": "missing space before the colon",
    # Returns and Yields
    "RT01": "no Returns section for an object that returns a value",
    "RT03": "return value without a description",
    "RT04": "return description not capitalised",
    "RT05": "return description not ending with a period",
    "YD01": "no Yields section for a generator",
    # See Also entries are well formed (the section itself is optional)
    "SA02": "See Also description without a final period",
    "SA03": "See Also description not capitalised",
    "SA04": "See Also entry without a description",
    # Examples, for classes and functions (see METHOD_EXEMPT_CODES)
    "EX01": "no Examples section",
}

#: numpydoc error codes deliberately not enforced, and why.
IGNORED_CODES = {
    "GL01": "quote placement is a formatting choice; ruff owns formatting",
    "GL02": "quote placement is a formatting choice; ruff owns formatting",
    "ES01": "an extended summary is welcome but not required",
    "SA01": "a See Also section is welcome but not required",
    "RT02": "scikit-learn names its return values (``score : float``), which "
    "numpydoc's RT02 rejects",
}

#: Codes not enforced on methods and properties: the class's own Examples
#: section shows them in use, as in scikit-learn.
METHOD_EXEMPT_CODES = {"EX01"}


def _public_modules():
    """``sklearn_zsl``, its public subpackages and theirs, imported.

    A public module inside a public subpackage, such as
    ``sklearn_zsl.utils.estimator_checks``, counts too.
    """
    names = ["sklearn_zsl"]
    for info in pkgutil.iter_modules(sklearn_zsl.__path__):
        if info.ispkg and not info.name.startswith("_"):
            package = importlib.import_module(f"sklearn_zsl.{info.name}")
            names.append(package.__name__)
            names.extend(
                f"{package.__name__}.{sub.name}"
                for sub in pkgutil.iter_modules(package.__path__)
                if not sub.name.startswith("_")
            )
    return [importlib.import_module(name) for name in sorted(names)]


def _public_objects():
    """``{public path: object}`` of every class and function, re-exports once.

    An object exported by several modules is kept under the path of the
    module that defines it (e.g. ``sklearn_zsl.linear.ESZSLClassifier``
    rather than the top-level re-export).
    """
    by_id = {}
    for module in _public_modules():
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            path = f"{module.__name__}.{name}"
            previous = by_id.get(id(obj))
            defining = obj.__module__.startswith(module.__name__ + ".")
            if previous is None or defining:
                by_id[id(obj)] = (path, obj)
    return dict(by_id.values())


def _is_sklearn_generated(name):
    """``set_*_request`` methods are generated by scikit-learn's metadata API."""
    return name.startswith("set_") and name.endswith("_request")


def _documented_members(cls):
    """Public methods and properties that ``cls`` or a base of ours defines.

    Members inherited unchanged from scikit-learn, torch or skorch
    (``get_params``, ``score``, ``state_dict``...) are theirs to document and
    are skipped; so are overrides of their hooks that carry no docstring of
    their own (``forward``-style hooks keep the upstream contract).
    """
    members = []
    for name in sorted(dir(cls)):
        if (name.startswith("_") and name != "__call__") or _is_sklearn_generated(name):
            continue
        owner = next((klass for klass in cls.__mro__ if name in vars(klass)), None)
        if owner is None or not owner.__module__.startswith("sklearn_zsl"):
            continue
        member = vars(owner)[name]
        if not (
            inspect.isfunction(member)
            or isinstance(member, (property, classmethod, staticmethod))
        ):
            continue
        overrides_upstream = any(
            name in vars(base) and not base.__module__.startswith("sklearn_zsl")
            for base in cls.__mro__[1:]
        )
        raw = member.fget if isinstance(member, property) else member
        raw = getattr(raw, "__func__", raw)
        if overrides_upstream and not raw.__doc__:
            continue
        members.append(name)
    return members


def _validation_targets():
    targets = []
    for path, obj in sorted(_public_objects().items()):
        targets.append(pytest.param(path, False, id=path))
        if inspect.isclass(obj):
            targets.extend(
                pytest.param(f"{path}.{name}", True, id=f"{path}.{name}")
                for name in _documented_members(obj)
            )
    return targets


@pytest.mark.parametrize("import_path, is_member", _validation_targets())
def test_docstring_follows_numpydoc(import_path, is_member):
    """Check that a public docstring passes the enforced numpydoc checks."""
    result = numpydoc_validate.validate(import_path)
    enforced = set(ENFORCED_CODES)
    if is_member:
        enforced -= METHOD_EXEMPT_CODES
    errors = [
        f"{code}: {message}" for code, message in result["errors"] if code in enforced
    ]
    assert not errors, (
        f"{import_path} ({result['file']}:{result['file_line']}) has docstring "
        "errors:\n" + "\n".join(errors)
    )


def test_enforced_and_ignored_codes_are_disjoint():
    """Check that no numpydoc code is both enforced and ignored."""
    assert not set(ENFORCED_CODES) & set(IGNORED_CODES)


def _api_rst_entries(text):
    """Fully qualified names listed by the ``autosummary`` blocks of api.rst."""
    entries = set()
    current_module = None
    in_autosummary = False
    for line in text.splitlines():
        directive = re.match(r"\.\. (currentmodule|py:module|automodule):: (\S+)", line)
        if directive:
            current_module = directive.group(2)
            in_autosummary = False
            continue
        if line.startswith(".. autosummary::"):
            in_autosummary = True
            continue
        if in_autosummary:
            if not line.strip() or line.lstrip().startswith(":"):
                continue
            if line.startswith("   "):
                entries.add(f"{current_module}.{line.strip()}")
                continue
            in_autosummary = False
    return entries


def test_api_reference_lists_every_public_name():
    """Check that doc/api.rst lists every name of every public ``__all__``.

    A re-exported object counts as listed when the module that defines it
    lists it (``sklearn_zsl.ESZSLClassifier`` is documented as
    ``sklearn_zsl.linear.ESZSLClassifier``).
    """
    if not API_RST.exists():
        pytest.skip("doc/api.rst is not part of this checkout")
    entries = _api_rst_entries(API_RST.read_text(encoding="utf-8"))
    documented_ids = set()
    for entry in entries:
        module_name, _, name = entry.rpartition(".")
        try:
            documented_ids.add(id(getattr(importlib.import_module(module_name), name)))
        except (ImportError, AttributeError):
            pass
    missing = [
        f"{module.__name__}.{name}"
        for module in _public_modules()
        for name in module.__all__
        if not (name.startswith("__") and name.endswith("__"))
        and f"{module.__name__}.{name}" not in entries
        and id(getattr(module, name)) not in documented_ids
    ]
    assert not missing, (
        "doc/api.rst does not list these public names; add them to an "
        f"autosummary block: {missing}"
    )


def test_api_reference_lists_only_existing_names():
    """Check that every name doc/api.rst lists can be imported."""
    if not API_RST.exists():
        pytest.skip("doc/api.rst is not part of this checkout")
    broken = []
    for entry in sorted(_api_rst_entries(API_RST.read_text(encoding="utf-8"))):
        module_name, _, name = entry.rpartition(".")
        try:
            getattr(importlib.import_module(module_name), name)
        except (ImportError, AttributeError):
            broken.append(entry)
    assert not broken, f"doc/api.rst lists names that do not exist: {broken}"
