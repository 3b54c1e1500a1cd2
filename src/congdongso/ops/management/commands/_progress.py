"""One progress line for backup and restore, rewritten in place on a terminal."""

from django.core.management.base import OutputWrapper


class ProgressLine:
    def __init__(self, stdout: OutputWrapper, label: str):
        self.stdout = stdout
        self.label = label
        self.last = -1
        self.terminal = stdout.isatty()

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.last or (not self.terminal and percent % 25 and percent != 100):
            return  # in a log (not a terminal), only every quarter
        self.last = percent
        text = f"{self.label}: {percent}%"
        if self.terminal:
            self.stdout.write("\r" + text, ending="")
            self.stdout.flush()
        else:
            self.stdout.write(text)

    def finish(self) -> None:
        if self.terminal and self.last >= 0:
            self.stdout.write("")
