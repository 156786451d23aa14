"""OpenAPI "Path Templating": a request path against a template such as `/users/{id}`.

A request path matches a template segment by segment. When several templates match, the more
specific one wins: compared from the left, a literal segment beats a partly templated one
(`/file.{ext}`), which beats a segment that is one parameter (`{id}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAM = re.compile(r"\{([^{}/]+)\}")

Segment = tuple[re.Pattern[str] | str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class PathTemplate:
    template: str
    segments: tuple[Segment, ...]
    rank: tuple[int, ...]  # per segment: 0 literal, 1 partly templated, 2 one parameter

    @classmethod
    def compile(cls, template: str) -> PathTemplate:
        segments: list[Segment] = []
        rank: list[int] = []
        for part in template.split("/")[1:]:
            names = tuple(_PARAM.findall(part))
            if not names:
                segments.append((part, ()))
                rank.append(0)
                continue
            pieces = _PARAM.split(part)  # literal, name, literal, name, …, literal
            regex = "".join(
                re.escape(p) if i % 2 == 0 else "([^/]+?)" for i, p in enumerate(pieces)
            )
            segments.append((re.compile(regex), names))
            rank.append(2 if part == "{" + names[0] + "}" else 1)
        return cls(template, tuple(segments), tuple(rank))

    def match(self, parts: list[str]) -> dict[str, str] | None:
        """The path parameters when the request path's `parts` (split at "/", without the
        leading empty one) match this template, else None."""
        if len(parts) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for part, (matcher, names) in zip(parts, self.segments, strict=True):
            if isinstance(matcher, str):
                if part != matcher:
                    return None
                continue
            found = matcher.fullmatch(part)
            if found is None:
                return None
            params.update(zip(names, found.groups(), strict=True))
        return params


def path_parts(path: str) -> list[str]:
    """A request path split into the segments `PathTemplate.match` takes."""
    return path.split("/")[1:] if path.startswith("/") else path.split("/")
