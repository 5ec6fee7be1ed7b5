"""Files whose text is made when it is read: what lets a build write the open data without holding it all.

At scale the data files (a record per company, the tables, the search
shards) are the largest thing a build makes (benchmarks/README.md).  The
MkDocs adapter hands each file to MkDocs with its maker and the text is made
when the file is written, then let go; tests and the folder writer read them
like a dict.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, Mapping


class TextsOnRead(Mapping[str, str]):
    """Site-relative path → text, each text made each time it is read (never kept)."""

    __slots__ = ("_makers",)

    def __init__(self) -> None:
        self._makers: dict[str, Callable[[], str]] = {}

    def add(self, path: str, make: Callable[[], str]) -> None:
        """Publish `path` with the text `make()` returns when it is read."""
        self._makers[path] = make

    def update(self, texts: Mapping[str, str]) -> None:
        """Publish other files: makers are kept as makers, finished texts as they are."""
        if isinstance(texts, TextsOnRead):
            self._makers.update(texts._makers)
            return
        for path, text in texts.items():
            self._makers[path] = _Finished(text)

    def makers(self) -> ItemsView[str, Callable[[], str]]:
        """Each path with its maker, to write the files one at a time."""
        return self._makers.items()

    def __getitem__(self, path: str) -> str:
        return self._makers[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


class _Finished:
    """The maker of a text that is already made."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self) -> str:
        return self.text
