"""Counties by name for the sentences a person reads (an error saying whose jurisdiction):
plain reference data, so that policy and use cases alike can name a county."""

from __future__ import annotations


def county_words(code: str | None) -> tuple[str, str]:
    """A county's name (zh, en); no code is the whole prefecture; an unknown code (never
    expected: codes are validated) is shown as it is rather than hidden."""
    import reference

    if not code:
        return ("全州", "the whole prefecture")
    for county in reference.load_divisions().counties:
        if code in (county.code, county.former_code):
            name = county.former_name if code == county.former_code else county.name
            return (name or county.name, county.en)
    return (code, code)
