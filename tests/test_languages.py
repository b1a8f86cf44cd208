"""The Chinese edition speaks Chinese: for every chapter that has a Chinese edition, check
feedback (right, wrong and unreadable answers, several students) and widget labels contain
no English sentence."""

import contextlib
import io
import inspect

import pytest

import crmlab
from crmlab import i18n, widgets
from crmlab.checks.core import _expected_answer as expected_answer
from crmlab.course import build, editions

from strategies import english_sentences

ZH_CHAPTERS = [c.stem for c in build.chapters()
               if "zh" in editions.languages(build.read_source(c))]
EXERCISES = crmlab.list_exercises()
ZH_EXERCISES = EXERCISES.loc[EXERCISES["chapter"].isin(ZH_CHAPTERS), "exercise"].tolist()
STUDENTS = [None, "2024000001", "alice"]


@pytest.fixture(autouse=True)
def chinese():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")
    crmlab.student(None)


def _wrong(answer):
    """What a student gets wrong: the right numbers scaled, the right labels shuffled."""
    if isinstance(answer, bool) or answer is None:
        return "不知道"
    if isinstance(answer, (int, float)):
        return answer * 1.37 + 1
    if isinstance(answer, dict):
        return {k: _wrong(v) for k, v in answer.items()}
    if isinstance(answer, (list, tuple)):
        return [_wrong(v) for v in answer]
    return "不对的答案"


def _answers(exercise, student):
    try:
        right = expected_answer(exercise, student)
    except Exception:   # noqa: BLE001 - an open exercise has no single answer
        right = None
    return [right, _wrong(right), "???", None, [], {"x": 1}, 12345]


@pytest.mark.parametrize("exercise", ZH_EXERCISES)
def test_check_feedback_in_chinese_has_no_english_sentence(exercise):
    for student in STUDENTS:
        crmlab.student(student)
        for answer in _answers(exercise, student):
            with contextlib.redirect_stdout(io.StringIO()) as shown:
                feedback = crmlab.check(exercise, answer)
            for text in (feedback.message, shown.getvalue()):
                assert english_sentences(text) == [], (exercise, student, answer, text)


def _texts(widget):
    """Every string a widget tree shows: descriptions, values, options, tooltips."""
    seen, stack = [], [widget]
    while stack:
        w = stack.pop()
        for name in ("description", "tooltip", "placeholder"):
            value = getattr(w, name, None)
            if isinstance(value, str):
                seen.append(value)
        value = getattr(w, "value", None)
        if isinstance(value, str):
            seen.append(value)
        for option in getattr(w, "_options_labels", ()) or ():
            seen.append(str(option))
        stack.extend(getattr(w, "children", ()) or ())
    return seen


def _factories():
    for chapter in ZH_CHAPTERS:
        module = getattr(widgets, f"ch{chapter[:2]}_{chapter.split('_', 1)[1].split('_')[0]}",
                         None)
        for name in getattr(module, "__all__", ()):
            factory = getattr(module, name)
            if inspect.isfunction(factory):
                yield pytest.param(factory, id=f"{chapter}.{name}")


@pytest.mark.parametrize("factory", list(_factories()))
def test_widget_labels_in_chinese_have_no_english_sentence(factory):
    panel = factory()
    for text in _texts(panel.widget):
        assert english_sentences(text) == [], text
