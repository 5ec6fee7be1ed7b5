"""The field reference of the open-data page, generated from the published schemas (never written twice).

`field_reference(lang)` turns the schema of every file in `api.PUBLISHED`
into a heading and a table per file and per object, in the page's language:
headings, column headers and type words come from the catalogues; field
descriptions are the models' docstrings (English), shown as typed.  The
plugin puts the result where docs/api.md has `<!-- dr:api-fields -->`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from generator.site.api import PUBLISHED, Published
from generator.site.i18n import messages

_CODE = re.compile(r"`([^`]+)`")


def anchor(name: str) -> str:
    """The id of an object's heading: "CompanyRecord" → "api-company-record"."""
    return "api-" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def file_anchor(item: Published) -> str:
    """The id of a file's heading: "api-company-record", "api-channels" (the Data Package resource name)."""
    return f"api-{item.name}"


def _prose(text: str) -> str:
    """A docstring as HTML: escaped, `code` in code, one line."""
    return _CODE.sub(r"<code>\1</code>", html.escape(" ".join(text.split()), quote=False))


def _codes(values: list[Any]) -> str:
    return ", ".join(f"<code>{html.escape(str(v))}</code>" for v in values)


class _Reference:
    """Renders one page's reference; remembers which objects already have a table, to link to it instead."""

    def __init__(self, lang: str) -> None:
        self.t: dict[str, Any] = messages(lang)["api"]
        self.shown: dict[str, dict[str, Any]] = {}
        self.defs: dict[str, dict[str, Any]] = {}

    def type_of(self, node: dict[str, Any]) -> str:
        words = self.t["types"]
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            target = self.defs[name]
            if "enum" in target:
                return str(words["one_of"]).format(values=_codes(target["enum"]))
            return f'<a href="#{anchor(name)}">{html.escape(self.t["objects"][name])}</a>'
        if "anyOf" in node:
            options = [self.type_of(option) for option in node["anyOf"] if option.get("type") != "null"]
            return f" {self.t['or']} ".join(options)
        if "enum" in node:
            return str(words["one_of"]).format(values=_codes(node["enum"]))
        kind = node.get("type")
        if kind == "array":
            return str(words["list_of"]).format(item=self.type_of(node.get("items", {})))
        if kind == "object":
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                return str(words["map_of"]).format(item=self.type_of(extra))
            keys = list(node.get("properties", {}))
            return f"{words['object']} ({_codes(keys)})" if keys else str(words["object"])
        if node.get("format") == "date" or kind == "date":
            return str(words["date"])
        if kind == "string" and (node.get("format") == "uri" or node.get("pattern") == "^https://"):
            return str(words["url"])
        return str(words.get(kind or "string", words["string"]))

    def _table(self, header: str, rows: list[tuple[str, str, bool, str]]) -> str:
        t = self.t
        head = "".join(f"<th>{html.escape(t[key])}</th>" for key in (header, "type", "required", "description"))
        body = "\n".join(f"<tr><td><code>{html.escape(name)}</code></td><td>{kind}</td>"
                         f"<td>{html.escape(t['required_yes'] if required else t['required_no'])}</td><td>{description}</td></tr>"
                         for name, kind, required, description in rows)
        return f'<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'

    def _object(self, node: dict[str, Any]) -> str:
        required = set(node.get("required", []))
        rows = [(name, self.type_of(prop), name in required, _prose(prop.get("description", "")))
                for name, prop in node.get("properties", {}).items()]
        return self._table("field", rows)

    def _referenced(self, node: object) -> list[str]:
        """Names of the objects `node` refers to, in order of first mention."""
        found: list[str] = []
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.append(ref.rsplit("/", 1)[1])
            for value in node.values():
                found.extend(self._referenced(value))
        elif isinstance(node, list):
            for value in node:
                found.extend(self._referenced(value))
        return list(dict.fromkeys(found))

    def json_file(self, item: Published, generated: dict[str, Any]) -> list[str]:
        defs: dict[str, dict[str, Any]] = generated.get("$defs", {})
        for name, definition in defs.items():
            if self.defs.get(name, definition) != definition:
                raise ValueError(f"two different objects are both called {name} in the published schemas; rename one")
            self.defs[name] = definition
        blocks = [f"### `{item.path}` {{#{file_anchor(item)}}}",
                  f"<p>{_prose(generated.get('description', ''))}</p>\n{self._object(generated)}"]
        queue = self._referenced({key: value for key, value in generated.items() if key != "$defs"})
        while queue:
            name = queue.pop(0)
            definition = defs[name]
            if name in self.shown or "enum" in definition:
                continue
            self.shown[name] = definition
            title = self.t["objects"][name]
            code = "" if title == name else f" (`{name}`)"
            blocks.append(f"#### {html.escape(title)}{code} {{#{anchor(name)}}}")
            blocks.append(f"<p>{_prose(definition.get('description', ''))}</p>\n{self._object(definition)}")
            queue.extend(n for n in self._referenced(definition) if n not in self.shown)
        return blocks

    def csv_file(self, item: Published, table: dict[str, Any]) -> list[str]:
        rows = []
        for field in table["fields"]:
            constraints = field.get("constraints", {})
            node = {"type": field["type"], **({"enum": constraints["enum"]} if "enum" in constraints else {})}
            kind = html.escape(self.t["types"]["json_list"]) if field["type"] == "array" else self.type_of(node)
            rows.append((field["name"], kind, bool(constraints.get("required")), _prose(field.get("description", ""))))
        description = item.model.__doc__ or ""
        return [f"### `{item.path}` {{#{file_anchor(item)}}}", f"<p>{_prose(description)}</p>\n{self._table('column', rows)}"]


def field_reference(lang: str) -> str:
    """Every published file's fields as Markdown headings and HTML tables, in `lang`."""
    reference = _Reference(lang)
    blocks: list[str] = []
    for item in PUBLISHED:
        generated = item.schema()
        blocks.extend(reference.csv_file(item, generated) if item.path.endswith(".csv") else reference.json_file(item, generated))
    return "\n\n".join(blocks)
