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


def county_name(code: str, name: str, name_en: str, locale: str) -> str:
    """A county by name in ``locale`` (the English name is the reference data's pinyin)."""
    return name_en if locale == "en" and name_en else name or code


def township_name(county_code: str, name: str, locale: str) -> str:
    """A township by name in ``locale``: the reference data's pinyin on an English page,
    the Chinese name where the reference data does not know the township."""
    import reference

    if locale != "en":
        return name
    try:
        found = reference.load_divisions().find_township(county_code, name)
    except KeyError:
        return name
    return found.en if found is not None else name
