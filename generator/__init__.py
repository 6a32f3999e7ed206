"""sdkforge: generate typed Python client SDKs from OpenAPI descriptions.

The pipeline is visible in the module names: load → validate → resolve → build (IR) →
models/render → format → write. `cli` is the only module that prints or exits.
"""

__version__ = "0.1.0"
