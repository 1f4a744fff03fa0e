"""A finding of a check, as data: rule, severity, place, expected, actual, message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

ERROR, WARNING, INFO = "error", "warning", "info"  # info: what reading saw, never a defect
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}


@dataclass(slots=True)  # a province's audit holds some hundred thousand
class Finding:
    """One finding: rule, severity, place (section, row, column, cell), expected, actual, message."""

    rule: str
    severity: str
    section: str | None
    row: str | None
    column: str | None
    expected: object
    actual: object
    message: str
    cell: str | None = None
    file: str | None = None

    @property
    def key(self) -> tuple:
        """(rule, row, column): what tests compare."""
        return (self.rule, self.row, self.column)

    @classmethod
    def from_json(cls, data: dict) -> Finding:
        """The finding to_json wrote (a round's cache keeps them so); KeyError/TypeError if it is not one."""
        return cls(
            data["rule"],
            data["severity"],
            data["section"],
            data["row"],
            data["column"],
            data["expected"],
            data["actual"],
            data["message"],
            data.get("cell"),
            data.get("file"),
        )

    def to_json(self) -> dict:
        """The finding as the JSON `check --json` prints."""
        data = asdict(self)
        data["expected"], data["actual"] = _plain(self.expected), _plain(self.actual)
        order = ("file", "rule", "severity", "section", "row", "column", "cell")
        return {k: data[k] for k in order} | {k: data[k] for k in ("expected", "actual", "message")}


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def has_errors(findings) -> bool:
    """Whether any finding is an error."""
    return any(f.severity == ERROR for f in findings)


def exit_status(findings) -> int:
    """0 no errors, 1 errors in the input, 2 an input that could not be read."""
    if any(f.rule == "INPUT" for f in findings):
        return 2
    return 1 if has_errors(findings) else 0


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue: its code, the severity of its findings, what it checks."""

    code: str
    severity: str
    description: str


def _rules(*rows: tuple[str, str, str]) -> dict[str, Rule]:
    return {code: Rule(code, severity, text) for code, severity, text in rows}


# Every rule giagen checks, in one place; a local rules file (--rules) adds its own codes.
CATALOGUE = _rules(
    ("INPUT", ERROR, "文件无法读取：不是报告、已损坏、超出上限或格式不支持"),
    ("UNFILLED", ERROR, "工作簿仍是发出时的空白模板"),
    ("REQUIRED", ERROR, "必填项（机关名称、年度、落款日期、一、五、六）未填写"),
    ("PLACEHOLDER", ERROR, "文字中留有【待填写】、XXX 等占位文字"),
    ("VALUE-TYPE", ERROR, "数字栏中不是规定种类的数字（件数为整数，金额为数字并写明单位）"),
    ("VALUE-READ", INFO, "工作簿中以文字写的数字（全角、带单位、千位分隔符）照其意思读入"),
    ("VALUE-NEGATIVE", ERROR, "件数或金额为负数（只有 2019 版的本年增/减可以为负）"),
    ("YEAR-RANGE", ERROR, "报告年度不在 2019 年至今年之间"),
    ("DATE-RANGE", ERROR, "落款日期不在报告年度结束之后、今天之前"),
    ("DATE-LATE", WARNING, "落款日期晚于次年 1 月 31 日"),
    ("EDITION-MISMATCH", ERROR, "报告年度与格式版本不符"),
    ("S2-ITEMS-NEGATIVE", ERROR, "2019 版：上一年项目数量加本年增/减为负"),
    ("S2-PUBLISHED-TOTAL", WARNING, "2019 版：对外公开总数量小于本年新公开数量"),
    ("S3-ROW-TOTAL", ERROR, "三的每一行：总计 = 自然人 + 各类法人或其他组织"),
    ("S3-RESULT-TOTAL", ERROR, "三的每一列：（七）总计 = （一）至（六）之和"),
    ("S3-BALANCE", ERROR, "三的每一列：一 + 二 = （七）总计 + 四（勾稽关系）"),
    ("S4-TOTAL", ERROR, "四的每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"),
    ("FEE-MISSING", WARNING, "2021 版：六未报告信息处理费"),
    ("FEE-COLLECTED", ERROR, "实际收取的信息处理费多于通知金额"),
    ("FEE-NOTICES", ERROR, "有收费金额却没有收费通知件数"),
    ("FEE-AMOUNT", ERROR, "有收费通知件数却没有金额"),
    ("NARRATIVE-EMPTY", WARNING, "已发布的报告中一或五为空"),
    ("TEXT-TABLE", WARNING, "文字中写的件数与表格不符"),
    (
        "PROSE-TABLE",
        WARNING,
        "文字中的说法（全部办结、未收到申请、未发生复议诉讼、未收费）与表格不符",
    ),
    ("PROSE-YEAR", WARNING, "一或五把往年当作本年度来写"),
    ("PROBLEMS-EMPTY", WARNING, "五只写“无”或寥寥数字"),
    ("PROSE-COPIED", WARNING, "一或五与上年报告或其他单位的报告几乎相同"),
    ("PREV-CARRY", WARNING, "上年结转不等于上年报告的结转下年度继续办理"),
    ("PREV-IN-FORCE", WARNING, "现行有效件数不等于上年现行有效 + 本年制发 − 本年废止"),
    ("PREV-ITEMS", WARNING, "2019 版：上一年项目数量不等于上年报告的项目数量加增减"),
    ("SHEET-RENAMED", INFO, "工作簿中改了名的工作表（如“三、收到和处理…”）按其原名读入"),
    ("STRAY-VALUE", WARNING, "工作簿中表格范围之外有内容，未读入"),
    ("IMPORT-HEADING", INFO, "已发布报告的标题写法与标准不同，或找不到"),
    ("IMPORT-BLANK", INFO, "已发布表格中的空白单元格按 0 计"),
    ("IMPORT-ROW", ERROR, "已发布表格中有一行读不出（数字多了、少了、连在一起或缺行）"),
    ("IMPORT-PARTIAL", WARNING, "只审核了截断副本中已有的部分"),
    ("IMPORT-SOURCE", INFO, "机关名称、年度或日期不是取自标题"),
    ("IMPORT-LABEL", INFO, "表格的行名有错漏字，按最接近的一行读入"),
    ("IMPORT-TABLES", INFO, "发布稿中同一张表有两张（如本级与全县），说明选用了哪一张"),
    ("IMPORT-DIGITS", INFO, "连在一起的数字按表内勾稽关系唯一的拆分读入"),
    ("IMPORT-OLD-ROW", INFO, "旧格式的一行（如 2019 年版的（六）其他处理）按其所代表各行之和读入"),
    ("CHAIN-NAMES", INFO, "两个名称按同一机关对照相邻年度（如去掉上级地区前缀）"),
    ("CHANGED-IDENTITY", WARNING, "发布稿与原稿的机关、年度或日期不同"),
    ("CHANGED-NUMBER", WARNING, "发布稿与原稿的某个数字不同"),
    ("CHANGED-TEXT", WARNING, "发布稿与原稿的某段文字不同"),
    ("CHANGED-SOURCE", WARNING, "找不到发布稿的原稿"),
)
