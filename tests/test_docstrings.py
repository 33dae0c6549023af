"""Run every docstring example of the installed package (numpydoc 'Examples' sections)."""

import doctest
import importlib
import pkgutil

import pytest

import llmtco

MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(llmtco.__path__, prefix="llmtco.")
    if m.name != "llmtco.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_public_api_is_documented():
    for name in llmtco.__all__:
        obj = getattr(llmtco, name)
        if callable(obj) or isinstance(obj, type):
            assert obj.__doc__, f"llmtco.{name} has no docstring"
