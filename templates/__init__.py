"""The built-in templates, as package data: installed as `sdkforge.templates`.

Nothing here runs. This file only makes the folder a package, so that the installed tool
finds its templates through importlib.resources wherever pip put it (a wheel, an editable
install, pipx): `sdkforge.codegen.render.builtin_templates`.
"""
