"""Run control: what keeps a generation run fast, stoppable and alone, apart from its stages.

`concurrency` (pre-started workers and the overlap of the stages on big specs), `lifeline`
(worker processes that die with their parent), `interrupts` (SIGINT/SIGTERM end a run in one
line), `outlock` (one run at a time writes an output directory), `progress` (the progress bar)
and `cachecli` (`sdkforge cache ...`). None of them knows OpenAPI; the stage packages
(`reading`, `apimodel`, `codegen`, `caches`) never import them except through these seams.
"""
