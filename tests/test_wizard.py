"""The wizard driven through its real prompts in a pseudo-terminal (80 × 24)."""

import json
import os
import sys

import pexpect
import pytest

from giagen import load
from giagen.api import check

ENTER, DOWN, SPACE, BACK, DONE, CTRL_C = "\r", "\x1b[B", " ", "\x7f", "\x1b\r", "\x03"


class Wizard:
    """A running `giagen wizard`; `answer(prompt, keys)` waits for a prompt, then types."""

    def __init__(self, *args, cwd, editor: str | None = None, columns: int = 80):
        env = dict(
            os.environ,
            TERM="xterm",
            COLUMNS=str(columns),
            LINES="24",
            PYTHONUNBUFFERED="1",
            PROMPT_TOOLKIT_NO_CPR="1",
        )  # nobody answers cursor-position requests here
        env.pop("VISUAL", None)
        env.pop("EDITOR", None)
        if editor:
            env["EDITOR"] = editor
        self.child = pexpect.spawn(
            sys.executable,
            ["-c", "from giagen.face.cli import main; main()", "wizard", *map(str, args)],
            cwd=str(cwd),
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(24, columns),
        )

    def answer(self, prompt: str, *keys: str):
        self.child.expect_exact(prompt)
        for key in keys:
            self.child.send(key)

    def number(self, prompt: str, value: int):
        self.answer(prompt, BACK, str(value), ENTER)

    def finish(self) -> tuple[str, int]:
        rest = self.child.read()
        self.child.close()
        return rest, self.child.exitstatus


def basics(w: Wizard, agency="某某局"):
    w.answer("机关名称", agency, ENTER)
    w.answer("报告年度", ENTER)
    w.answer("落款日期", ENTER)


def no_numbers_in_two(w: Wizard):
    for _ in range(4):  # the four blocks of the 2021 edition
        w.answer("有数字要填吗", ENTER)


def prose_and_fee_defaults(w: Wizard):
    w.answer("一、总体情况", DONE)
    w.answer(
        "五、存在的主要问题及改进情况",
        "本年度存在的问题是公开不够及时，将加强培训；上年的问题已整改。",
        DONE,
    )
    for _ in range(3):
        w.answer("信息处理费", ENTER)
    w.answer("六、其他需要报告的事项", ENTER)


def finish_without_rendering(w: Wizard):
    """Prose and fee defaults, no render at the end; the run must succeed."""
    prose_and_fee_defaults(w)
    w.answer("现在生成 DOCX 和 HTML 吗", "n")
    out, status = w.finish()
    assert status == 0, out


def test_all_zero_bureau_only_types_its_name(tmp_path):
    w = Wizard("-o", "r.xlsx", cwd=tmp_path)
    basics(w)
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", ENTER)
    w.answer("行政复议或行政诉讼", ENTER)
    w.answer("一、总体情况", DONE)
    w.answer("五、存在的主要问题及改进情况", "信息公开还不够及时，将加强培训。", DONE)
    for _ in range(3):
        w.answer("信息处理费", ENTER)
    w.answer("六、其他需要报告的事项", ENTER)
    w.answer("现在生成 DOCX 和 HTML 吗", ENTER)
    out, status = w.finish()
    assert status == 0, out
    assert "Traceback" not in out
    findings = check([tmp_path / "r.xlsx"])
    assert not [f for f in findings if f.severity == "error"]
    assert (tmp_path / "r.docx").exists() and (tmp_path / "r.html").exists()
    assert not (tmp_path / "r.xlsx.wizard.json").exists()


def test_requests_of_several_applicants_and_outcomes(tmp_path):
    w = Wizard("-o", "r.json", cwd=tmp_path)
    basics(w)
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", "y")
    w.answer(
        "哪些申请人提出过申请", SPACE, DOWN, DOWN, DOWN, DOWN, SPACE, ENTER
    )  # 自然人, 法律服务机构
    # 自然人: 5 new, 1 carried over; 3 granted, 2 withheld (third party); 1 carried forward
    w.number("自然人 · 本年新收申请", 5)
    w.number("自然人 · 上年结转申请", 1)
    w.answer("自然人的申请有哪些办理结果", SPACE, DOWN, DOWN, SPACE, ENTER)  # （一）, （三）
    w.number("（一）予以公开", 3)
    for label, value in [
        ("1.属于国家秘密", 0),
        ("2.其他法律行政法规禁止公开", 0),
        ("3.危及", 0),
        ("4.保护第三方合法权益", 2),
        ("5.属于三类内部事务信息", 0),
        ("6.属于四类过程性信息", 0),
        ("7.属于行政执法案卷", 0),
        ("8.属于行政查询事项", 0),
    ]:
        w.number(label, value)
    w.answer("自然人 · 结转下年度继续办理", ENTER)  # the remainder offered: 6 − 5 = 1
    w.number("法律服务机构 · 本年新收申请", 2)
    w.answer("法律服务机构 · 上年结转申请", ENTER)
    w.answer("法律服务机构的申请有哪些办理结果", DOWN, DOWN, DOWN, SPACE, ENTER)  # （四）
    w.number("1.本机关不掌握相关政府信息", 1)
    w.number("2.没有现成信息需要另行制作", 1)
    w.answer("3.补正后申请内容仍不明确", ENTER)
    w.answer("法律服务机构 · 结转下年度继续办理", ENTER)
    w.answer("行政复议或行政诉讼", "y")
    w.answer("有行政复议案件吗", "y")
    w.number("行政复议 · 结果维持", 1)
    for label in ("结果纠正", "其他结果", "尚未审结"):
        w.answer(f"行政复议 · {label}", ENTER)
    w.answer("未经复议直接起诉）案件吗", ENTER)
    w.answer("复议后起诉）案件吗", ENTER)
    finish_without_rendering(w)
    report = load(tmp_path / "r.json").report
    r = report.requests
    assert r["new_received"]["natural_person"] == 5 and r["carried_over"]["natural_person"] == 1
    assert r["granted"]["natural_person"] == 3 and r["withheld_third_party"]["natural_person"] == 2
    assert r["carried_forward"]["natural_person"] == 1
    assert r["unavailable_not_held"]["legal_service"] == 1 and r["total"]["legal_service"] == 2
    assert r["new_received"]["total"] == 7 and r["total"]["total"] == 7
    assert report.litigation["review"]["total"] == 1
    assert not [f for f in check([tmp_path / "r.json"]) if f.severity == "error"]


def four_asked_three_granted(tmp_path) -> Wizard:
    """A wizard at the point where 自然人 has 4 new requests, 3 granted, the carry-forward next."""
    w = Wizard("-o", "r.json", cwd=tmp_path)
    basics(w)
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", "y")
    w.answer("哪些申请人提出过申请", SPACE, ENTER)
    w.number("自然人 · 本年新收申请", 4)
    w.answer("自然人 · 上年结转申请", ENTER)
    w.answer("自然人的申请有哪些办理结果", SPACE, ENTER)
    w.number("（一）予以公开", 3)
    return w


def test_imbalance_is_shown_and_corrected_on_the_spot(tmp_path):
    w = four_asked_three_granted(tmp_path)
    w.number("自然人 · 结转下年度继续办理", 0)  # 4 + 0 ≠ 3 + 0
    w.answer("勾稽关系不平衡")
    w.child.expect_exact("差额")
    w.answer("怎么处理", DOWN, ENTER)  # 把结转下年度改为 1 件
    w.answer("行政复议或行政诉讼", ENTER)
    finish_without_rendering(w)
    r = load(tmp_path / "r.json").report.requests
    assert r["carried_forward"]["natural_person"] == 1
    assert not [f for f in check([tmp_path / "r.json"]) if f.severity == "error"]


def test_interrupted_and_resumed(tmp_path):
    w = Wizard("-o", "r.json", cwd=tmp_path)
    basics(w, agency="中断局")
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", CTRL_C)
    out, status = w.finish()
    progress = tmp_path / "r.json.wizard.json"
    assert status == 130 and "Traceback" not in out
    assert "giagen wizard --resume" in out and progress.exists()
    assert json.loads(progress.read_text(encoding="utf-8"))["done"] == ["basics", "proactive"]

    w = Wizard("--resume", progress, cwd=tmp_path)
    w.answer("收到过政府信息公开申请", ENTER)  # resumes at 三, not at the agency name
    w.answer("行政复议或行政诉讼", ENTER)
    finish_without_rendering(w)
    assert load(tmp_path / "r.json").report.agency == "中断局"
    assert not progress.exists()


def test_previous_year_prefills_carry_over(tmp_path):
    last = {
        "year": 2024,
        "agency": "某某局",
        "requests": {
            "new_received": {"commercial": 2},
            "granted": {"commercial": 1},
            "carried_forward": {"commercial": 1},
        },
    }
    (tmp_path / "last.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    w = Wizard("-o", "r.json", "--previous", "last.json", cwd=tmp_path)
    w.answer("机关名称", ENTER)  # prefilled from last year
    w.answer("报告年度", ENTER)  # 2025: the year after
    w.answer("落款日期", "2026-01-20", ENTER)  # typing replaces the date offered
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", ENTER)  # default yes: something was carried over
    w.answer("哪些申请人提出过申请", ENTER)  # 商业企业 pre-selected
    w.answer("商业企业 · 本年新收申请", ENTER)
    w.answer("商业企业 · 上年结转申请", ENTER)  # 1, from last year
    w.answer("商业企业的申请有哪些办理结果", SPACE, ENTER)
    w.answer("（一）予以公开", BACK, "1", ENTER)
    w.answer("商业企业 · 结转下年度继续办理", ENTER)
    w.answer("行政复议或行政诉讼", ENTER)
    finish_without_rendering(w)
    report = load(tmp_path / "r.json").report
    assert report.year == 2025 and report.agency == "某某局"
    assert report.requests["carried_over"]["commercial"] == 1
    assert check([tmp_path / "r.json"], previous=tmp_path / "last.json") == []


@pytest.mark.parametrize("keys", [["abc", ENTER], ["-3", ENTER]])
def test_numbers_are_validated(tmp_path, keys):
    w = Wizard("-o", "r.json", cwd=tmp_path)
    basics(w)
    w.answer("有数字要填吗", "y")
    w.answer("规章 · 本年制发件数", BACK, *keys)
    w.child.expect("应为整数|请填写不小于 0")
    w.child.send("\x15４" + ENTER)  # Ctrl-U clears; a full-width digit is accepted
    w.answer("规章 · 本年废止件数", CTRL_C)
    out, status = w.finish()
    assert status == 130


def test_prose_in_the_clerks_editor(tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text(
        "#!/bin/sh\nprintf '（一）主动公开情况。用编辑器写成。\\n（二）第二段。' > \"$1\"\n"
    )
    editor.chmod(0o755)
    w = Wizard("-o", "r.json", cwd=tmp_path, editor=str(editor))
    basics(w)
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", ENTER)
    w.answer("行政复议或行政诉讼", ENTER)
    w.answer("用编辑器", "y")  # 一、总体情况 in the editor
    w.answer("用编辑器", ENTER)  # 五 typed at the prompt
    w.answer("五、存在的主要问题及改进情况", "公开不够及时。", DONE)
    for _ in range(3):
        w.answer("信息处理费", ENTER)
    w.answer("六、其他需要报告的事项", ENTER)
    w.answer("现在生成 DOCX 和 HTML 吗", "n")
    out, status = w.finish()
    assert status == 0, out
    report = load(tmp_path / "r.json").report
    assert report.overview == "（一）主动公开情况。用编辑器写成。\n（二）第二段。"
    assert report.problems == "公开不够及时。"


def test_redo_asks_that_applicant_again_with_earlier_answers_offered(tmp_path):
    w = four_asked_three_granted(tmp_path)
    w.number("自然人 · 结转下年度继续办理", 0)
    w.answer("怎么处理", ENTER)  # 重新填写自然人的数字
    w.answer("自然人 · 本年新收申请", ENTER)  # 4 offered again, kept with Enter
    w.answer("自然人 · 上年结转申请", ENTER)
    w.answer("自然人的申请有哪些办理结果", ENTER)  # （一） still ticked
    w.answer("（一）予以公开", "4", ENTER)  # typing replaces the 3 offered: 4, not 34
    w.answer("自然人 · 结转下年度继续办理", ENTER)
    w.answer("行政复议或行政诉讼", ENTER)
    finish_without_rendering(w)
    r = load(tmp_path / "r.json").report.requests
    assert (r["new_received"]["natural_person"], r["granted"]["natural_person"]) == (4, 4)


def test_report_with_errors_exits_1_and_markup_in_a_name_is_literal(tmp_path):
    w = Wizard("-o", "r.json", cwd=tmp_path)
    basics(w, agency="[/red]某局[bold]")
    no_numbers_in_two(w)
    w.answer("收到过政府信息公开申请", "y")
    w.answer("哪些申请人提出过申请", SPACE, ENTER)
    w.number("自然人 · 本年新收申请", 4)
    w.answer("自然人 · 上年结转申请", ENTER)
    w.answer("自然人的申请有哪些办理结果", ENTER)  # none chosen
    w.number("自然人 · 结转下年度继续办理", 0)
    w.answer("怎么处理", DOWN, DOWN, ENTER)  # 保留：the imbalance stays
    w.answer("行政复议或行政诉讼", ENTER)
    prose_and_fee_defaults(w)
    out, status = w.finish()
    assert status == 1 and "Traceback" not in out, out
    assert "暂不生成报告" in out and "[/red]某局[bold]" in out.replace("\r\n", ""), out
    assert load(tmp_path / "r.json").report.agency == "[/red]某局[bold]"
    assert not (tmp_path / "r.docx").exists()


def test_wizard_does_not_write_over_a_filled_file(tmp_path):
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    w = Wizard("-o", "r.json", cwd=tmp_path)
    out, status = w.finish()
    assert status == 2 and "已存在" in out and "--force" in out
    assert (tmp_path / "r.json").read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("stdin", ["devnull", "piped"])
def test_without_a_terminal_the_wizard_refuses_plainly(tmp_path, stdin):
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "giagen", "wizard", "-o", str(tmp_path / "r.xlsx")],
        input=None if stdin == "devnull" else "某局\n2025\n2026-01-15\n",
        stdin=subprocess.DEVNULL if stdin == "devnull" else None,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "请在终端中运行 giagen wizard" in done.stderr
    assert "Warning" not in done.stderr + done.stdout and "已中断" not in done.stderr
    assert not (tmp_path / "r.xlsx").exists()


def test_in_a_narrow_window_every_prompt_keeps_its_label(tmp_path):
    pyte = pytest.importorskip("pyte")
    w = Wizard("-o", "r.xlsx", cwd=tmp_path, columns=40)
    screen = pyte.Screen(40, 24)
    stream = pyte.Stream(screen)

    def shown(prompt: str, *keys: str):
        w.child.expect_exact(prompt)
        stream.feed(w.child.before + w.child.after)
        try:  # what is drawn after the label: the rest of the prompt
            stream.feed(w.child.read_nonblocking(100000, timeout=1))
        except pexpect.TIMEOUT:
            pass
        lines = [
            "".join(row[x].data for x in range(40))
            for row in map(screen.buffer.__getitem__, range(24))
        ]
        assert prompt in "".join(lines).replace(" ", ""), "\n".join(lines)
        for key in keys:
            w.child.send(key)

    shown("机关名称", "某某局", ENTER)
    shown("报告年度", ENTER)
    shown("落款日期", ENTER)
    for _ in range(4):
        shown("有数字要填吗", ENTER)
    shown("收到过政府信息", ENTER)
    shown("行政复议", ENTER)
    shown("一、总体情况", DONE)
    shown("五、存在的主要问题", "信息公开还不够及时，将加强培训。", DONE)
    for _ in range(3):
        shown("信息处理费", ENTER)
    shown("六、其他需要报告的事项", ENTER)
    w.answer("现在生成", "n")
    out, status = w.finish()
    assert status == 0, out
    assert load(tmp_path / "r.xlsx").report.overview  # the draft offered was taken
