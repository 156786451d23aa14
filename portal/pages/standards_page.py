"""The "API standards" page, generated from the conformance rule table (registry/lint)."""

from __future__ import annotations

from portal.content.rule_text import FAMILIES, RULE_TEXT_JA
from portal.markdown import cell
from portal.wording import Lang, pick
from registry.lint.table import RULES
from registry.models import Severity

SEVERITY: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("必須 (エラー)", "Required (error)"),
    Severity.WARNING: ("推奨 (警告)", "Recommended (warning)"),
    Severity.INFO: ("参考 (情報)", "Advisory (info)"),
}


def render(lang: Lang) -> str:
    parts = [
        pick(lang, "# API 設計標準", "# API standards"),
        pick(
            lang,
            "この基盤で公開される API は、政府の「API テクニカルガイドブック」などに基づく次の"
            " ルールで自動的に点検されます。点数は 100 点から、エラー 1 件につき 10 点、警告"
            " 1 件につき 2 点を引いたものです (同じルールは 3 件まで)。エラーがあるバージョンは、"
            " 運用者が理由を記録して免除しない限り公開できません。免除は API のページに表示"
            " されます。",
            "Every API published here is checked against the rules below, drawn from the"
            " Japanese government's API Technical Guidebook and related guides. The score starts"
            " at 100 and loses 10 per error and 2 per warning (at most 3 findings of one rule"
            " count). A version with errors cannot be published unless an operator records a"
            " waiver with a reason; waivers are shown on the API's page.",
        ),
    ]
    for prefix, (ja, en) in FAMILIES:
        rules = [r for r in RULES if r.id.startswith(prefix)]
        if not rules:
            continue
        parts.append(f"## {pick(lang, ja, en)}")
        rows = [
            pick(lang, "| ルール | 重要度 | 内容 | 出典 |", "| Rule | Severity | Check | Source |"),
            "|---|---|---|---|",
        ]
        for rule in rules:
            text = RULE_TEXT_JA.get(rule.id, rule.description) if lang == "ja" else rule.description
            level = pick(lang, *SEVERITY[rule.severity])
            anchor = rule.id.lower()
            rows.append(
                f'| <span id="{anchor}"></span>`{rule.id}` | {level} | {cell(text)} |'
                f" {cell(rule.source)} |"
            )
        parts.append("\n".join(rows))
    return "\n\n".join(parts) + "\n"
