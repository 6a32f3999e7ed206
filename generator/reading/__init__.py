"""Reading a document: a spec file → one validated, self-contained JSON document.

`load` parses YAML (1.2 rules, `yaml12`) or JSON into plain data with a source map;
`validate` (+ `validate_schemas`) reports every problem with file, line and JSON pointer;
`resolve` follows `$ref`s confined to the spec's folder and `bundle` makes one document of
them; `swagger` converts a Swagger 2.0 document to OpenAPI 3. Nothing here knows about
Python or the SDK: the next stage (`sdkforge.apimodel`) reads what this one produces.
"""
