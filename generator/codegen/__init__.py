"""Writing Python: the IR → every file's text, laid out and formatted.

`render` drives the Jinja templates with the views they lay out (`views` for resource
modules, `docviews` + `examples` for `api.md` and the README, `smoke` for the optional smoke
suite); `pyexpr` is where spec text becomes code, escaped for its context. Model modules
come from datamodel-code-generator (`models`), grouped (`modelsplit`) and generated per
group with a cache (`modelgen`). `layout` writes black's layout directly and `blackcheck`
decides which modules black would leave unchanged; `format` runs black (or ruff) on the rest.
"""
