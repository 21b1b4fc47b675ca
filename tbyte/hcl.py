"""Reading HCL (Terraform and Terragrunt files) with python-hcl2, strings unquoted."""

from pathlib import Path

import hcl2

_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def load(path: Path) -> dict:
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=_OPTIONS)


def blocks(document: dict, kind: str) -> dict[str, dict]:
    """Labelled blocks of one kind (`variable`, `output`, `dependency` …) by label."""
    found = {}
    for entry in document.get(kind, []):
        for label, body in entry.items():
            found[label.strip('"')] = body
    return found


def expression(value) -> str:
    """An HCL expression as written (python-hcl2 wraps non-literals in ${…})."""
    text = str(value)
    return text[2:-1] if text.startswith("${") and text.endswith("}") else text
