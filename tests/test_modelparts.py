"""Black on a model module's doubtful statements only (`codegen.modelparts`).

Every answer is held to black's on the whole module: the text given back must be exactly
black's output for the module, found without black on the whole module; what the check
does not know goes to black whole (False).
"""

from __future__ import annotations

import pytest
from conftest import black_by_parts

from sdkforge.codegen.format import format_source
from sdkforge.codegen.modelparts import vouch_model
from sdkforge.codegen.modelsplit import HEADER

LONG = "VeryLong" * 12  # 96 characters: no line holding it fits
HEAD = HEADER + "\nfrom __future__ import annotations\n\n"


def _parts(source: str) -> str:
    return black_by_parts(vouch_model(source, HEADER), source)


def test_a_module_the_check_knows_is_vouched_as_it_is() -> None:
    source = HEAD + "from .._models import BaseModel\n\n\nclass A(BaseModel):\n    x: int\n"
    assert format_source(source) == source
    assert vouch_model(source, HEADER) is True


@pytest.mark.parametrize(
    "source",
    [
        # an import black cannot shorten (left long) and an aliased one (left as it is)
        HEAD + f"from datetime import date as date_aliased\nfrom .{LONG.lower()} import (\n"
        f"    {LONG},\n)\nfrom .._models import BaseModel\n\n\nclass A(BaseModel):\n"
        f"    d: date_aliased\n    x: {LONG}\n",
        # a class header too long (split), a field too long (split), the rest known
        HEAD + f"from typing import Optional\n\nfrom .._models import BaseModel\n\n\n"
        f'class {LONG}(BaseModel):\n    """\n    A model.\n    """\n\n'
        f"    x: Optional[{LONG}] = None\n"
        f'    """\n    A field.\n    """\n\n    y: int\n',
        # a TypedDict header with its keyword, and a long `__all__`
        HEAD + "from typing_extensions import TypedDict\n\n"
        f'__all__ = ["{LONG}Param"]\n\n\nclass {LONG}Param(TypedDict, total=False):\n'
        "    x: int\n",
        # a TypedDict in the functional syntax (keys that are not names), laid out
        # otherwise than the rebuild would, with the docstring after it
        HEAD + "from typing_extensions import Required, TypedDict\n\n"
        f'__all__ = ["{LONG}Param"]\n\n\n{LONG}Param = TypedDict(\n    "{LONG}Param",\n'
        '    {\n        "@odata.type": "Required[str]",\n    },\n    total=False,\n)\n'
        '"""\nA param.\n"""\n',
        # a field whose magic trailing comma keeps it exploded
        HEAD + "from typing import Annotated, Optional\n\nfrom pydantic import Field\n\n"
        "from .._models import BaseModel\n\n\nclass A(BaseModel):\n"
        f'    some_field: Annotated[\n        Optional[{LONG}],\n        Field(alias="someField"),\n'
        "    ] = None\n",
    ],
)
def test_statements_in_doubt_are_formatted_alone(source: str) -> None:
    assert _parts(source) != source or format_source(source) == source


@pytest.mark.parametrize(
    "source",
    [
        # a comment, a decorator, a blank line black would remove: not known
        HEAD + f"from .{LONG.lower()} import {LONG}  # a comment\n",
        HEAD + f"from .._models import BaseModel\n\n\n@d\nclass {LONG}(BaseModel):\n    x: int\n",
        HEAD + f"from .._models import BaseModel\n\n\n\nclass {LONG}(BaseModel):\n    x: int\n",
        # another header line or none at all
        f"from .{LONG.lower()} import {LONG}\n",
    ],
)
def test_what_it_does_not_know_goes_to_black_whole(source: str) -> None:
    assert vouch_model(source, HEADER) is False
