"""The errors giagen raises; each carries a one-line message in Chinese for the user."""

import errno


class GiagenError(Exception):
    """Base of every error giagen reports to the user instead of a traceback."""

    exit_code = 2


class InputError(GiagenError):
    """An input that cannot be read at all: not a workbook, not JSON, not a report."""


class UsageError(GiagenError):
    """A command called with options that do not fit together."""


class RefusedError(GiagenError):
    """Work refused because the input has errors; carries the findings that stand in the way."""

    exit_code = 1

    def __init__(self, message: str, findings=()):
        super().__init__(message)
        self.findings = list(findings)


class WizardInterrupted(GiagenError):
    """Ctrl-C in the wizard: the answers so far are saved and can be resumed."""

    exit_code = 130


class BadValue(ValueError):
    """A value that is not a number of the expected kind; its text is the Chinese reason."""


class WriteError(GiagenError):
    """An output that could not be written: a full disk, no permission; names the file."""

    def __init__(self, path, exc: OSError):
        super().__init__(f"无法写入 {path}：{os_reason(exc)}")


def os_reason(exc: OSError) -> str:
    """Why the file system refused, in Chinese."""

    reasons = {
        errno.ENOSPC: "磁盘已满",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "磁盘只读",
        errno.ENAMETOOLONG: "文件名太长",
        errno.ENOENT: "文件夹不存在",
        errno.EISDIR: "这是文件夹",
        errno.EDQUOT: "超出磁盘配额",
        errno.ENOTDIR: "路径中有同名文件",
        errno.EFBIG: "文件超过系统允许的大小",
        errno.ELOOP: "链接指向自身，形成循环",
        errno.EIO: "读写出错，磁盘或网络盘可能有故障",
        errno.EBUSY: "文件正被其他程序占用",
        errno.EMFILE: "同时打开的文件太多",
        errno.EINVAL: "文件名或路径无效",
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    return f"系统错误（{exc.strerror}）" if exc.strerror else "系统错误"
