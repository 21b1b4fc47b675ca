"""Reading HCL (Terraform and Terragrunt files) with python-hcl2, strings unquoted."""

import threading
from pathlib import Path

# python-hcl2's parser is shared and not thread-safe: stacks planned in parallel threads read HCL too.
_PARSER_LOCK = threading.Lock()


def load(path: Path) -> dict:
    import hcl2  # imported on first use: its parser takes 0.1-0.2 s to import

    text = path.read_text()
    with _PARSER_LOCK:
        options = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)
        return hcl2.loads(text, serialization_options=options)


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
