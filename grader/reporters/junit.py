"""JUnit XML for CI: one testsuite per lesson, one testcase per task, the feedback as the failure's text and
the evidence of a failed case as the testcase's properties.

Student output can hold any character, and XML 1.0 cannot: the report arrives
with every character XML does not allow (NUL, ESC and the other control
characters) already written as a visible escape such as ``\\x1b``
(:mod:`grader.reporters.safe_text`), so the document always parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.reporters.evidence import facts
from grader.reporters.safe_text import renders
from grader.results import LessonResult, Report


@renders
def render(report: Report) -> str:
    """The report as a JUnit XML document."""
    tasks = report.tasks
    root = ET.Element("testsuites", name="gradekit", tests=str(len(tasks)), time=f"{report.seconds:.3f}",
                      failures=str(sum(t.status == "failed" for t in tasks)),
                      errors=str(sum(t.status == "error" for t in tasks)))
    if report.notes:
        ET.SubElement(root, "system-err").text = "\n".join(report.notes)
    for lesson in report.lessons:
        root.append(_suite(lesson))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _suite(lesson: LessonResult) -> ET.Element:
    suite = ET.Element("testsuite", name=lesson.lesson, tests=str(len(lesson.tasks)),
                       failures=str(sum(t.status == "failed" for t in lesson.tasks)),
                       errors=str(sum(t.status == "error" for t in lesson.tasks)))
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="path", value=lesson.path)
    for task in lesson.tasks:
        case = ET.SubElement(suite, "testcase", classname=lesson.lesson, name=task.task)
        found = [("score", task.score_text)] + (facts(task.evidence) if task.evidence else [])
        properties = ET.SubElement(case, "properties")
        for name, text in found:
            ET.SubElement(properties, "property", name=name, value=text)
        if not task.passed:
            tag = "error" if task.status == "error" else "failure"
            problem = ET.SubElement(case, tag, message=task.summary, type=task.status)
            problem.text = f"{task.title}\n{task.feedback}".rstrip()
        elif task.feedback:  # passed by follow-through: say so
            ET.SubElement(case, "system-out").text = f"{task.summary}\n{task.feedback}"
    if lesson.output:
        ET.SubElement(suite, "system-out").text = lesson.output
    if lesson.notes:
        ET.SubElement(suite, "system-err").text = "\n".join(lesson.notes)
    return suite
