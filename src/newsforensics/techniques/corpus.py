"""PTC-style article folders: ``article<ID>.txt`` files read exactly as the label offsets expect."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError

ARTICLE_NAME = re.compile(r"^article(?P<id>.+)\.txt$")
MAX_ARTICLE_BYTES = 8 * 2**20  # news articles are KB; a bigger file is not one


def article_id(path: Path) -> str:
    """``article111111111.txt`` → ``111111111`` (the id label files use); other names → stem."""
    match = ARTICLE_NAME.match(path.name)
    return match.group("id") if match else path.stem


def read_articles(folder: str | Path) -> dict[str, str]:
    """Every ``*.txt`` of a folder by article id, read as the SemEval scorer's offsets assume
    (``open(..., encoding="utf-8").read()``: universal newlines, nothing else normalised)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder of article .txt files")
    articles: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        if path.stat().st_size > MAX_ARTICLE_BYTES:
            raise InputError(f"{path} is larger than {MAX_ARTICLE_BYTES // 2**20} MB; "
                             f"it is not a news article")
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path} as UTF-8 text: {exc}") from None
        key = article_id(path)
        if key in articles:
            raise InputError(f"two files in {folder} have the article id {key!r}")
        articles[key] = text
    if not articles:
        raise InputError(f"{folder} holds no article .txt files")
    return articles
