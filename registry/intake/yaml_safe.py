"""A YAML loader that refuses alias bombs, deep nesting, duplicate and complex keys.

Built on PyYAML's pure-Python `SafeLoader` (the C loader composes nodes in C, where these
guards cannot hook in). The guards run while composing the node graph and on the finished
graph, *before* construction, so nothing is ever expanded:

- every alias use is counted (at most `MAX_ALIASES`);
- the graph is measured as if aliases were expanded (at most `MAX_NODES` nodes, at most
  `MAX_DEPTH` nested collections); an alias pointing at its own ancestor is refused;
- mapping keys must be scalars and unique. Keys are kept as their source text, so `200:` and
  `"200":` both become the string `"200"` (OpenAPI keys are strings: status codes, paths);
- timestamps stay strings (`2024-04-01` is the text an OpenAPI example means, not a date);
- integers longer than `MAX_INT_DIGITS` are refused (Python cannot read them past 4300).
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode

from registry.intake.errors import IntakeError, too_deep
from registry.intake.limits import MAX_ALIASES, MAX_DEPTH, MAX_INT_DIGITS, MAX_NODES
from registry.problems import Text

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_INT = "tag:yaml.org,2002:int"


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> Any:
    if len(str(node.value)) > MAX_INT_DIGITS:
        raise IntakeError(
            Text(
                f"{_line(node)} 行：{MAX_INT_DIGITS} 桁を超える整数があります",
                f"line {_line(node)}: document has an integer with more than {MAX_INT_DIGITS} "
                "digits",
            )
        )
    return loader.construct_yaml_int(node)


class GuardedLoader(yaml.SafeLoader):
    """`SafeLoader` with counters on composition and strict mapping construction."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **yaml.SafeLoader.yaml_constructors,
        _TIMESTAMP: yaml.SafeLoader.construct_yaml_str,
        _INT: _construct_int,
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise IntakeError(
                    Text(
                        f"YAMLのエイリアスが {MAX_ALIASES} 個を超えています",
                        f"document uses more than {MAX_ALIASES} YAML aliases",
                    )
                )
            return super().compose_node(parent, index)
        opens = self.check_event(SequenceStartEvent, MappingStartEvent)
        if opens:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise IntakeError(too_deep())
        try:
            return super().compose_node(parent, index)
        finally:
            if opens:
                self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            if not isinstance(key_node, ScalarNode):
                raise IntakeError(_plain_keys(key_node))
            if key_node.value in seen:
                raise IntakeError(
                    Text(
                        f"{_line(key_node)} 行：キー {key_node.value!r} が重複しています",
                        f"line {_line(key_node)}: duplicate key {key_node.value!r}",
                    )
                )
            seen.add(key_node.value)
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise IntakeError(_plain_keys(key_node))
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Measure:
    """Size and height of a node graph as if aliases were expanded, memoised per node.

    `depth` is the number of enclosing collections; recursion stops at `MAX_DEPTH`, so a
    hostile graph cannot exhaust the stack here either.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[int, int]] = {}
        self._active: set[int] = set()

    def visit(self, node: Node, depth: int) -> tuple[int, int]:
        key = id(node)
        if key in self._active:
            raise IntakeError(
                Text(
                    "YAMLのエイリアスが自身を含むノードを参照しています（再帰エイリアス）",
                    "a YAML alias refers to its own enclosing node (recursive alias)",
                )
            )
        if key not in self._memo:
            if isinstance(node, CollectionNode) and depth >= MAX_DEPTH:
                raise IntakeError(too_deep())
            self._active.add(key)
            self._memo[key] = self._children(node, depth)
            self._active.discard(key)
        size, height = self._memo[key]
        if depth + height > MAX_DEPTH:
            raise IntakeError(too_deep(" (via aliases)"))
        return size, height

    def _children(self, node: Node, depth: int) -> tuple[int, int]:
        if not isinstance(node, CollectionNode):
            return 1, 0
        items: list[Node] = []
        for item in node.value:
            items.extend(item if isinstance(item, tuple) else (item,))
        size, height = 1, 0
        for child in items:
            child_size, child_height = self.visit(child, depth + 1)
            size += child_size
            height = max(height, child_height)
            if size > MAX_NODES:
                raise IntakeError(
                    Text(
                        f"文書を展開するとノードが {MAX_NODES} 個を超えます"
                        "（YAMLエイリアスの展開）",
                        f"document expands to more than {MAX_NODES} nodes (YAML alias expansion)",
                    )
                )
        return size, height + 1


def load_yaml(text: str) -> Any:
    """Parse one YAML document under the guards; raise `IntakeError` on anything unsafe."""
    try:
        loader = GuardedLoader(text)  # its reader refuses control characters up front
    except yaml.reader.ReaderError as exc:
        raise IntakeError(
            f"not valid YAML: control character U+{exc.character:04X} at character"
            f" {exc.position} (YAML allows no control characters but tab and line breaks)"
        ) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _Measure().visit(node, 0)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise IntakeError(
            Text(
                f"正しいYAMLではありません：{where}{exc.problem or exc.context}",
                f"not valid YAML: {where}{exc.problem or exc.context}",
            )
        ) from None
    except yaml.YAMLError as exc:
        raise IntakeError(
            Text(
                f"正しいYAMLではありません：{str(exc).splitlines()[0]}",
                f"not valid YAML: {str(exc).splitlines()[0]}",
            )
        ) from None
    except RecursionError:
        raise IntakeError(too_deep()) from None
    finally:
        loader.dispose()


def _plain_keys(key_node: Node) -> Text:
    return Text(
        f"{_line(key_node)} 行：マッピングのキーは単純なスカラーにしてください",
        f"line {_line(key_node)}: mapping keys must be plain scalars",
    )
