"""The caches under `$XDG_CACHE_HOME/sdkforge`, which make a regeneration redo only what changed.

`store` is the shared on-disk entry store (and the code/template hashes every key carries);
`runs` skips a whole run whose inputs and output are unchanged; `rendermemo` reuses
rendered template parts; `budget` keeps the whole under its cap (least recently used out)
and is what `sdkforge cache` shows. The stages that own other entries (formatted files in
`codegen.format`, model modules in `codegen.modelgen`) keep them through `store`.
"""
