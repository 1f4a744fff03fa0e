"""The commands as a user runs them: exit codes, outputs whole, inputs untouched."""

import json
import random

import pytest
from conftest import EXAMPLES, FIXTURES

from giagen import load
from giagen.core.synthetic import synthetic_report


@pytest.mark.parametrize("year", [2020, 2023])
def test_convert_json_to_xlsx_and_back_is_lossless(giagen, tmp_path, year):
    report = synthetic_report(random.Random(year), year=year, busy=True)
    data = report.to_data()
    data["requests"]["total"]["commercial"] += 5  # a wrong total survives both ways
    data["litigation"]["review"]["total"] = 0
    data["proactive"]["admin_fees"]["amount_wan" if year > 2020 else "change"] = (
        None if year > 2020 else -3
    )  # an amount that does not apply; a signed change
    data["proactive"]["penalty"]["decisions"] = 12345  # large counts and amounts survive too
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert giagen("convert", source, "-o", tmp_path / "r.xlsx").code == 0
    assert giagen("convert", tmp_path / "r.xlsx", "-o", tmp_path / "out.json").code == 0
    assert load(tmp_path / "out.json").report == load(source).report


def test_seed_002_as_published_keeps_its_wrong_total_in_a_workbook(giagen, tmp_path):
    giagen("convert", FIXTURES / "seeds_as_published" / "002.json", "-o", tmp_path / "s.xlsx")
    findings = giagen("check", "--json", tmp_path / "s.xlsx").json()
    cells = {(f["rule"], f["column"]): f["cell"] for f in findings}
    assert cells[("S3-RESULT-TOTAL", "natural_person")] == "三!D26"
    assert cells[("S3-RESULT-TOTAL", "total")] == "三!J26"


def test_convert_refuses_values_that_are_no_numbers(giagen, tmp_path):
    data = json.loads((EXAMPLES / "xigong-2023.json").read_text(encoding="utf-8"))
    data["requests"] = {"granted": {"research": "很多"}}
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = giagen("convert", source, "-o", tmp_path / "out.xlsx")
    assert run.code == 1 and "VALUE-TYPE" in run.stderr
    assert not (tmp_path / "out.xlsx").exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "JSON 格式错误"),
        ('{"year": 2023, "agency": "某局", "requests": {"granted_x": {}}}', "没有这些行"),
        ('{"year": "明年", "agency": "某局"}', "报告年度"),
        ("[1, 2]", "不是一份报告"),
        ('{"year": 2023, "agency": "某局", "date": "一月"}', "落款日期"),
    ],
)
def test_unreadable_json_is_input_error(giagen, tmp_path, content, words):
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    run = giagen("check", "--json", path)
    assert run.code == 2
    [finding] = run.json()
    assert finding["rule"] == "INPUT" and words in finding["message"]


def test_check_several_files_human_output(giagen, tmp_path):
    bad = FIXTURES / "seeds_as_published" / "002.json"
    run = giagen("check", EXAMPLES / "xigong-2023.json", bad)
    assert run.code == 1
    assert "xigong-2023.json：通过" in run.stdout
    assert "4 个错误" in run.stdout and "S3-BALANCE" in run.stdout


def test_missing_file_and_wrong_suffix(giagen, tmp_path):
    (tmp_path / "notes.md").write_text("年报", encoding="utf-8")
    run = giagen("check", "--json", tmp_path / "none.xlsx", tmp_path / "notes.md")
    assert run.code == 2
    messages = [f["message"] for f in run.json()]
    assert "文件不存在" in messages[0] and "不是一份政府信息公开年度报告" in messages[1]


def test_template_refuses_other_suffix(giagen, tmp_path):
    run = giagen("template", "--year", 2023, "-o", tmp_path / "t.docx")
    assert run.code == 2 and "xlsx" in run.stderr
    assert not (tmp_path / "t.docx").exists()


def test_wrong_type_of_prose_is_said_in_chinese(giagen, tmp_path):
    data = json.loads((EXAMPLES / "xigong-2023.json").read_text(encoding="utf-8"))
    data["overview"] = 123
    source = tmp_path / "r.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    [finding] = giagen("check", "--json", source).json()
    assert (
        finding["rule"] == "INPUT"
        and "overview" in finding["message"]
        and "应为文字" in finding["message"]
    )


def test_unreadable_input_and_unwritable_output_are_messages(giagen, tmp_path, monkeypatch):
    import pathlib

    real = pathlib.Path.read_bytes

    def denied(self):
        if self.suffix == ".json":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    run = giagen("check", "--json", EXAMPLES / "xigong-2023.json")
    assert run.code == 2 and "无法读取" in run.json()[0]["message"]
    monkeypatch.undo()

    import builtins

    from giagen.core import files

    def full(path, mode="r", *args, **kwargs):
        handle = builtins.open(path, mode, *args, **kwargs)  # the temporary file is there …
        handle.close()
        raise OSError(
            28, "No space left on device", str(path)
        )  # … and the disk fills while writing

    monkeypatch.setattr(files, "open", full, raising=False)
    run = giagen("render", EXAMPLES / "xigong-2023.json", "-o", tmp_path)
    assert run.code == 2 and "无法写入" in run.stderr and "xigong-2023.docx" in run.stderr
    assert "磁盘已满" in run.stderr and "Traceback" not in run.stderr
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize(
    "args, words",
    [
        (["template", "-o", "x.xlsx"], "缺少选项 --year"),
        (["template", "--year", "abc", "-o", "x.xlsx"], "--year 应为整数"),
        (["chek"], "没有这个命令"),
        (["check", "--bogus", "a.json"], "没有选项 --bogus"),
    ],
)
def test_usage_errors_in_chinese(giagen, args, words):
    run = giagen(*args)
    assert run.code == 2 and words in run.stderr and "giagen" in run.stderr


def _commands():
    from giagen.face.cli import main

    return sorted(main.commands)


@pytest.mark.parametrize("command", [None, *_commands()])
def test_help_is_chinese(giagen, command):
    """No English word in any help but option names, file extensions and giagen."""
    import re

    run = giagen(*([command] if command else []), "--help")
    assert run.code == 0
    text = re.sub(r"--?[a-z][a-z-]*", " ", run.stdout)  # option names
    text = re.sub(
        r"\.(fragment\.html|xlsx|json|docx|html|pdf|txt|csv|xls|htm)\b|giagen|[A-Z]{3,4}\b",
        " ",
        text,
    )
    text = re.sub(r"docx|html|pdf|json|xlsx|csv", " ", text)  # values of --to and formats
    text = re.sub(r"\b(" + "|".join(_commands()) + r")\b", " ", text)  # command names
    words = re.findall(r"[A-Za-z]{2,}", text)
    assert not words, (command, words)


def test_check_a_folder_checks_its_workbooks_and_json(giagen, tmp_path):
    import shutil

    (tmp_path / "收回" / "乙").mkdir(parents=True)
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", tmp_path / "收回" / "甲.xlsx")
    shutil.copy(EXAMPLES / "dadukou-2020.json", tmp_path / "收回" / "乙" / "乙.json")
    (tmp_path / "收回" / "~$甲.xlsx").write_bytes(b"lock")
    (tmp_path / "收回" / "说明.txt").write_text("不是报告", encoding="utf-8")
    run = giagen("check", "--json", tmp_path / "收回")
    assert run.code == 0
    assert {f["file"].rsplit("/", 1)[-1] for f in run.json()} <= {
        "乙.json",
        "甲.xlsx",
    }  # no lock file, no .txt
    run = giagen("check", tmp_path / "收回")
    assert "甲.xlsx：通过" in run.stdout + run.stderr and "乙.json" in run.stdout + run.stderr
    (tmp_path / "空").mkdir()
    run = giagen("check", tmp_path / "空")
    assert run.code == 2 and "文件夹中没有" in run.stderr


def test_a_folder_where_one_file_is_wanted_says_so_and_what_to_use(giagen, tmp_path):
    run = giagen("render", tmp_path, "-o", tmp_path / "out")
    assert (
        run.code == 2
        and "是文件夹，这里应为一个文件" in run.stderr
        and "giagen batch" in run.stderr
    )
    run = giagen("check", EXAMPLES / "xigong-2023.xlsx", "--previous", tmp_path)
    assert run.code == 2 and "是文件夹，--previous 应为一个文件" in run.stderr


@pytest.mark.parametrize(
    ("typed", "meant"), [("chek", "check"), ("rendr", "render"), ("zzz", None)]
)
def test_a_mistyped_command_is_answered_in_chinese(giagen, typed, meant):
    said = giagen(typed).stderr
    assert "没有这个命令" in said and "Did you mean" not in said and "。。" not in said
    assert "？。" not in said
    if meant:  # the one meant, alone or among those as close (`chek`: check, schema)
        assert f"是否想输入 '{meant}'？" in said or (
            "是否想输入其中之一：" in said and f"'{meant}'" in said
        )


def test_a_local_rule_id_holding_markup_prints_literally(giagen, tmp_path):
    rules = tmp_path / "规则.toml"
    rules.write_text(
        '[[rule]]\nid = "[red]LOCAL-X[/red]"\nseverity = "warning"\nmessage = "[bold]总体情况不少于 9999 字"\n'
        'kind = "length"\nsection = "overview"\nmin = 9999\n',
        encoding="utf-8",
    )
    said = giagen("check", EXAMPLES / "xigong-2023.xlsx", "--rules", rules).stdout
    assert "[red]LOCAL-X[/red]" in said and "[bold]总体情况" in said


def test_a_file_name_holding_an_emoji_code_prints_as_named(giagen, tmp_path):
    """Rich turns `:smile:` into a face; a path is shown as it is named."""
    folder = tmp_path / "报告:smile:集"
    folder.mkdir()
    for name in ("甲:thumbs_up:2023.txt", "乙:cn:.txt"):
        (folder / name).write_text("一、总体情况\n", encoding="utf-8")
    run = giagen("audit", folder, "-o", tmp_path / "out")
    said = run.stdout + run.stderr
    assert "甲:thumbs_up:2023.txt" in said and "乙:cn:.txt" in said, said
    assert "报告:smile:集" in said and "\U0001f604" not in said and "\U0001f44d" not in said


def test_every_reason_the_file_system_gives_is_said_in_chinese():
    """What the system says (`No such file or directory`, `Too many levels of symbolic links`) is
    put in Chinese; a reason giagen does not know keeps the system's words behind 系统错误."""
    import errno
    import os

    from giagen.core.exceptions import os_reason

    known = ["ENOSPC", "EACCES", "EPERM", "EROFS", "ENAMETOOLONG", "ENOENT", "EISDIR", "ENOTDIR",
             "EFBIG", "ELOOP", "EIO", "EBUSY", "EMFILE", "EINVAL", "EDQUOT"]  # fmt: skip
    for name in known:
        code = getattr(errno, name)
        said = os_reason(OSError(code, os.strerror(code)))
        assert said and not any("a" <= c.lower() <= "z" for c in said), (name, said)
    assert os_reason(OSError(errno.ECONNRESET, "Connection reset by peer")).startswith("系统错误")
