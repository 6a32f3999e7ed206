"""The starter `sdkforge.yaml` written by `sdkforge init`.

It spells out every name sdkforge derived from the spec, taken from the built IR rather
than recomputed, so the file states exactly what `generate` does today. Pinning those
names is the point: afterwards a new tag, title or operationId in the spec can no longer
rename a package, an env var or a method behind the user's back (`sdkforge diff` would
report that as breaking). Pure text out; the CLI writes the file.
"""

from __future__ import annotations

import json
import re

import yaml

from sdkforge.apimodel.ir import Api

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


def scalar(value: str) -> str:
    """`value` as a YAML scalar that loads back as the same string (quoted when needed)."""
    if _PLAIN.match(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def operation_names(api: Api) -> dict[str, str]:
    """`"METHOD /path"` → `resource[.sub].method`, in client order."""
    return {
        f"{op.http_method.upper()} {op.path}": ".".join([*(r.name for r in trail), op.name])
        for trail, op in api.all_operations()
    }


def starter_config(api: Api, spec_name: str) -> str:
    """The text of a starter config that reproduces `api`'s names when loaded."""
    title, version, url = (" ".join(t.split()) for t in (api.title, api.version, api.base_url))
    api_key_env = next((s.envs[0] for s in api.security_schemes if s.args == ("api_key",)), "")
    lines = [
        f"# sdkforge configuration for {title} {version}, written by `sdkforge init {spec_name}`.",
        "# Every value is what sdkforge derives from the spec today; keeping them here means a",
        "# changed title, tag or operationId in the spec cannot silently rename the package, an",
        "# environment variable or a method. Keys are described in the README (Configuration).",
        f"package: {scalar(api.package)}",
        f"project_name: {scalar(api.project_name)}",
        f"client_name: {scalar(api.client_name)}",
    ]
    if api_key_env:
        lines.append(f"api_key_env: {scalar(api_key_env)}")
    lines += [
        f"base_url_env: {scalar(api.base_url_env)}",
        f"log_env: {scalar(api.log_env)}",
        f"# version: {version}  (default: the spec's info.version)",
        f"# base_url: {url}  (default: the spec's first server)",
    ]
    operations = operation_names(api)
    if not operations:
        lines.append("operations: {}")
    else:
        lines.append('operations:  # "METHOD /path" or operationId: resource[.sub].method')
        lines += [f"  {json.dumps(key)}: {name}" for key, name in operations.items()]
    return "\n".join(lines) + "\n"
