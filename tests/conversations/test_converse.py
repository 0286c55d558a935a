"""The corpus runner itself: the file format is checked when loaded, expectations match as documented, and
`python -m bot converse` reports a conversation that goes differently as FAIL with the first difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.converse import ConverseError, Difference, check, check_ticket, load
from bot.converse import main as converse_main
from tests.harness import make_settings, running_service


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "problem"), [
    ("- steps: [{warga: halo}]", "needs a `name`"),
    ("- {name: a, steps: [{warga: halo}]}\n- {name: a, steps: [{warga: halo}]}", "used twice"),
    ("- {name: a, steps: [{warga: halo}], colour: red}", "unknown keys"),
    ("- {name: a, people: {p: {role: officer}}, steps: [{p: /antrian}]}", "needs an `opd`"),
    ("- {name: a, people: {p: {role: chief}}, steps: [{p: halo}]}", "needs a role"),
    ("- {name: a, people: {p: {role: officer, opd: dlh, channel: sms}}, steps: [{p: halo}]}", "only residents"),
    ("- {name: a, people: {budi: {}}, steps: [{warga: halo, budi: halo}]}", "exactly one person"),
    ("- {name: a, steps: [{warga: halo, expect: {colour: red}}]}", "`expect` takes"),
    ("- {name: a, steps: [{receives: {budi: halo}}]}", "people of the conversation"),
    ("- {name: a}", "needs `steps`"),
    ("{conversations: 5}", "expected a list"),
    ("- {name: a, steps: [{warga: {tekan: Ya}}]}", "press: BUTTON TITLE"),
])
def test_a_malformed_file_is_refused_naming_the_problem(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ConverseError, match=problem):
        load(write(tmp_path, text))


def test_shared_steps_are_spliced_in(tmp_path: Path) -> None:
    path = write(tmp_path, "start: &start\n  - warga: halo\n  - warga: menu\nconversations:\n"
                           "  - {name: a, steps: [*start, {warga: bantuan}]}\n")
    (conversation,) = load(path)
    assert [s["warga"] for s in conversation.steps] == ["halo", "menu", "bantuan"]
    assert conversation.people == {"warga": {"role": "resident"}}


def test_expectations_match_words_alternatives_and_buttons() -> None:
    replies = [{"text": "Aduan Anda tentang *Jalan rusak*, ke *Dinas PUPR*.\nBenar?",
                "buttons": [{"title": "✅ Ya, benar", "payload": "ya"}, {"title": "Batal", "payload": "batal"}]}]
    check(replies, {"contains": ["jalan rusak", "PUPR | Dishub"], "not_contains": ["112"],
                    "buttons": ["ya, benar", "batal"], "no_buttons": ["Lewati"], "mentions": ["Ya, benar"]}, "x")
    check(replies, "dinas   pupr", "x")  # a plain string: contains, spacing and case ignored
    for wrong in ({"contains": ["Dishub | DLH"]}, {"not_contains": ["jalan | x"]}, {"buttons": ["Lewati"]},
                  {"no_buttons": ["ya"]}, {"ticket": True}, {"mentions": ["Satpol"]}):
        with pytest.raises(Difference):
            check(replies, wrong, "x")
    check([{"text": "nomor WRG-2612-0001"}], {"ticket": True}, "x")
    with pytest.raises(Difference, match="no ticket number"):
        check([{"text": "nomor WRG-2612-0001"}], {"no_ticket": True}, "x")


def test_ticket_fields_are_read_from_the_desk_page() -> None:
    page = ('<dd id="ticket-status" data-value="diproses">Sedang diproses</dd>'
            '<dd id="ticket-opd" data-value="dlh">DLH</dd><dd id="ticket-topic" data-value="aduan_sampah">x</dd>'
            '<dd id="ticket-reporter" data-privacy="anonim" data-priority="normal" data-kind="aduan" '
            'data-channel="sms">-</dd><dd id="ticket-location">Pasar <b>Sooko</b></dd>'
            '<p class="report" id="ticket-text">sampah numpuk</p><ol><li class="event created" data-kind="created">'
            '<strong>Dibuat</strong><div class="said">sampah numpuk</div></li>'
            '<li data-kind="message_in"><div class="said">dekat los ikan</div></li></ol>')
    check_ticket(page, {"status": "baru | diproses", "opd": "dlh", "privacy": "anonim", "channel": "sms",
                        "location_contains": ["pasar sooko"], "history_contains": ["los ikan"],
                        "text_not_contains": ["los ikan"], "events": ["created", "message_in"]}, "T")
    for wrong in ({"status": "selesai"}, {"opd": "dishub"}, {"location_contains": ["Japan"]},
                  {"history_not_contains": ["los ikan"]}, {"events": ["transferred"]}):
        with pytest.raises(Difference):
            check_ticket(page, wrong, "T")


async def test_the_command_reports_each_conversation_and_fails_on_a_difference(
        tmp_path: Path, nlu_model_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, """
- name: menu
  steps:
    - warga: halo
      expect: {contains: [selamat datang], buttons: [Buat aduan]}
    - warga: {press: buat aduan}
      expect: {contains: [ceritakan]}
- name: salah harap
  steps:
    - warga: halo
    - warga: {press: Cek status}
    - warga: jalan di desa Sooko rusak parah banyak lubang
      expect: {contains: [Dinas Pemadam]}
- name: menunggu pekerjaan lain
  pending: conv
  steps:
    - warga: halo
      expect: {contains: [tidak akan pernah ada]}
- name: petugas lewat sms
  people: {warga: {channel: sms}}
  steps:
    - warga: halo
""")
    settings = make_settings(tmp_path)
    async with running_service(settings) as svc:
        code = await converse_main([str(path), "--url", svc.url, "--wait", "2"], settings)
    out = capsys.readouterr().out
    assert code == 1
    assert "PASS  c.yml: menu" in out
    assert "FAIL  c.yml: salah harap" in out
    assert "step 3: warga: 'jalan di desa Sooko rusak parah banyak lubang'" in out
    assert "expected the reply to contain 'Dinas Pemadam'; got \"Aduan Anda" in out
    assert "XFAIL c.yml: menunggu pekerjaan lain (pending: conv)" in out
    assert "SKIP  c.yml: petugas lewat sms" in out
    assert "4 conversations: 1 passed, 1 failed, 1 pending and failing, 0 pending but passing, 1 skipped" in out
    assert await converse_main([str(tmp_path / "missing.yml")], settings) == 2
