"""sdkforge: generate typed Python client SDKs from OpenAPI descriptions.

The pipeline is visible in the module names: load → validate → resolve → build (IR) →
models/render → format → write. `cli` (with `cachecli`) is the only module that prints or
exits (`interrupts` aside: it ends a run whose unwinding is stuck).
"""

__version__ = "0.1.0"
