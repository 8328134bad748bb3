"""`seloste server` driven by a real LSP client from outside the project: pytest-lsp (pygls).

Run by .ci/integrations with SELOSTE set to the binary: initialize, open a seed, receive its
diagnostics, change the text to fix one, receive the update, hover, code actions, apply a fix.
"""

import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ROOT = pathlib.Path(__file__).resolve().parents[2]
SELOSTE = os.environ.get("SELOSTE", str(ROOT / "target" / "release" / "seloste"))
SEED = ROOT / "fixtures" / "seeds" / "001-kainuu-te-webropol.yaml"
FIXABLE = ROOT / "tests" / "fixes" / "fixable.yaml"


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[SELOSTE, "server"])
)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            initialization_options={"debounceMs": 20, "lang": "en"},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics_of(client: LanguageClient, uri: str, version: int):
    """The diagnostics published for `uri` at `version` (waits for them)."""
    for _ in range(20):
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)
    raise AssertionError(f"no diagnostics for {uri} v{version}")


def open_doc(client: LanguageClient, uri: str, text: str):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )


def position(text: str, offset: int) -> types.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return types.Position(line=line, character=len(text[start:offset].encode("utf-16-le")) // 2)


def apply(text: str, edits) -> str:
    lines = text.split("\n")

    def offset(p: types.Position) -> int:
        before = sum(len(l) + 1 for l in lines[: p.line])
        line = lines[p.line] if p.line < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < p.character:
            units += len(line[i].encode("utf-16-le")) // 2
            i += 1
        return before + i

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_seed_diagnostics_an_edit_hover_and_actions(client: LanguageClient):
    uri = SEED.as_uri()
    text = SEED.read_text(encoding="utf-8")
    open_doc(client, uri, text)
    diags = await diagnostics_of(client, uri, 1)
    codes = [d.code for d in diags]
    assert "fi/repealed-personal-data-act" in codes
    repealed = next(d for d in diags if d.code == "fi/repealed-personal-data-act")
    assert repealed.source == "seloste"
    assert repealed.severity == types.DiagnosticSeverity.Error
    assert repealed.code_description.href.endswith("rules.md#fi-repealed-personal-data-act")

    # Change the text to fix it: the update comes without it.
    old = '["henkilötietolaki (523/1999) 10 ja 24§"]'
    at = text.index("legal_references: " + old) + len("legal_references: ")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=position(text, at), end=position(text, at + len(old))),
                    text='["EU 2016/679"]',
                )
            ],
        )
    )
    updated = await diagnostics_of(client, uri, 2)
    assert "fi/repealed-personal-data-act" not in [d.code for d in updated]
    assert len(updated) == len(diags) - 1

    # Hover on a finding: the rule explained.
    finding = next(d for d in updated if d.code == "gdpr/purpose-legal-basis")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=finding.range.start
        )
    )
    assert "gdpr/purpose-legal-basis" in hover.contents.value

    # Code actions on it: "Allow ..." at least.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=finding.range,
            context=types.CodeActionContext(diagnostics=[finding]),
        )
    )
    assert any(a.title.startswith("Allow gdpr/purpose-legal-basis") for a in actions)


async def test_a_safe_fix_applied_from_a_code_action(client: LanguageClient):
    uri = (ROOT / "tests" / "fixes" / "fixable-copy.yaml").as_uri()
    text = FIXABLE.read_text(encoding="utf-8")
    open_doc(client, uri, text)
    diags = await diagnostics_of(client, uri, 1)
    cited = next(d for d in diags if d.code == "gdpr/regulation-cited")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=cited.range,
            context=types.CodeActionContext(diagnostics=[cited]),
        )
    )
    fix = next(a for a in actions if a.is_preferred)
    assert fix.title == "Cite the GDPR as (EU) 2016/679"
    fixed = apply(text, fix.edit.changes[uri])
    assert '"(EU) 2016/679"  # the number as the old template had it' in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    after = await diagnostics_of(client, uri, 2)
    assert "gdpr/regulation-cited" not in [d.code for d in after]
    # "Fix all": the other safe fixes in one edit.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[], only=["source.fixAll.seloste"]),
        )
    )
    assert [a.kind for a in actions] == ["source.fixAll.seloste"]
    assert actions[0].title.startswith("Fix all: 3 safe fixes")
