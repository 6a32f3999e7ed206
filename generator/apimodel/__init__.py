"""The API model: a bundled document → the IR (`ir.Api`), every name already decided.

`build` walks the document; `operations`, `schemas` (+ `typerefs`) and `security` turn
its parts into frozen IR values, and `naming` makes identifiers that are valid, stable and
collision-free. Every choice a generated SDK shows is made here, so the writing stage
(`sdkforge.codegen`) and its templates only lay out what the IR says.
"""
