"""A set-up file with thousands of problems: a short reply and one file that lists them all."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from tests.support.desk import ADMIN, desk_bot, texts

YAML = "application/x-yaml"
PROBLEMS = 3000


def units_without_names(count: int) -> bytes:
    """A cluster whose units all lack a name: one problem each."""
    units = ",\n".join(f"      {{code: u{number}}}" for number in range(count))
    header = "clusters:\n  - code: c1\n    name: Cụm thử\n    year: 2026\n    units: [\n"
    return (header + units + "]\n").encode()


async def test_thousands_of_problems_get_a_few_messages_and_one_file_listing_them_all(
    engine: Engine, example_yaml: str
) -> None:
    content = units_without_names(PROBLEMS)
    async with desk_bot(engine, example_yaml) as bot:
        sent = await bot.send_document(
            ADMIN, file_name="hong.yaml", mime_type=YAML, file_size=len(content), content=content
        )
        assert 1 <= len(sent) <= 3
        assert f"có {PROBLEMS} lỗi, chưa ghi gì" in texts(sent)
        assert "clusters[0].units[0].name" in texts(sent)
        assert "clusters[0].units[2999].name" not in texts(sent)
        files = bot.fake.uploaded_files(ADMIN.id)
        assert [name for name, _content in files] == ["loi-thiet-lap.txt"]
        listed = files[0][1].decode("utf-8").splitlines()
        assert len(listed) == PROBLEMS
        assert listed[-1].startswith("dòng ") and ", clusters[0].units[2999].name:" in listed[-1]


async def test_a_few_problems_are_all_in_the_message_and_no_file_is_sent(
    engine: Engine, example_yaml: str
) -> None:
    content = units_without_names(3)
    async with desk_bot(engine, example_yaml) as bot:
        sent = await bot.send_document(
            ADMIN, file_name="hong.yaml", mime_type=YAML, file_size=len(content), content=content
        )
        assert len(sent) == 1
        assert "clusters[0].units[2].name" in sent[0]["text"]
        assert bot.fake.uploaded_files(ADMIN.id) == []
