"""The sentences of ``crmlab grade``'s feedback and notes, in English and Chinese.

The feedback a student reads is in the language of the edition they handed in: the check
messages come from the suite's own catalogs (``crmlab.set_language``), and the grader's own
sentences from this table. (The gettext catalogs leave ``crmlab/course`` out as developer
tooling, so the grader carries its few student-facing sentences here; a test checks that both
languages have every sentence with the same ``{fields}``.)

Examples
--------
>>> say("score", passed=3, total=6)
'Score: 3 of 6'
>>> say("score", "zh", passed=3, total=6)
'得分：6 题中答对 3 题'
"""

from __future__ import annotations

__all__ = ["MESSAGES", "say"]

MESSAGES: dict[str, dict[str, str]] = {
    # feedback file
    "title": {"en": "Feedback on {file}, chapter {chapter}",
              "zh": "{file} 的评分反馈（第 {chapter} 章）"},
    "student": {"en": "Student id: {id}", "zh": "学号：{id}"},
    "no student": {"en": "Student id: none set", "zh": "学号：未设置"},
    "score": {"en": "Score: {passed} of {total}", "zh": "得分：{total} 题中答对 {passed} 题"},
    "run ok": {"en": "Run: every cell ran.", "zh": "运行：所有单元格均已运行。"},
    "run notes": {"en": "What the grader noticed when it ran your notebook:",
                  "zh": "评分程序运行你的笔记本时发现："},
    "questions": {"en": "Questions:", "zh": "各题结果："},
    "how graded": {
        "en": "How this was graded: your notebook was run again from the top in a fresh, "
              "isolated kernel, and each answer you passed to crmlab.check was checked again "
              "for your student id. What your saved notebook shows does not count.",
        "zh": "评分方式：评分程序在一个全新的隔离内核中从头重新运行你的笔记本，"
              "并按你的学号重新核对你交给 crmlab.check 的每个答案；"
              "已保存笔记本中显示的结果不计入成绩。"},
    "pass": {"en": "pass", "zh": "正确"},
    "fail": {"en": "fail", "zh": "错误"},
    # why a question has no answer
    "not answered": {"en": "not answered", "zh": "未作答"},
    "not answered: stub": {"en": "not answered: the answer is still `...`.",
                           "zh": "未作答：答案仍是 `...`。"},
    "not answered: deleted": {
        "en": "not answered: its check cell, `{source}`, was deleted or changed.",
        "zh": "未作答：该题的检查单元格 `{source}` 被删除或改动。"},
    "not answered: error": {
        "en": "not answered: its check cell raised `{error}`.",
        "zh": "未作答：该题的检查单元格出错：`{error}`。"},
    "not answered: stopped": {
        "en": "not answered: the run stopped at cell {cell}, before this check.",
        "zh": "未作答：运行在第 {cell} 个单元格处停止，未执行到本题的检查。"},
    "not answered: cut": {
        "en": "not answered: the run was stopped before this check.",
        "zh": "未作答：运行在执行到本题的检查之前被终止。"},
    "not answered: never": {
        "en": "not answered: crmlab.check was never called for this exercise.",
        "zh": "未作答：从未对本题调用 crmlab.check。"},
    "unrecorded": {
        "en": "your answer, an object of type {kind}, could not be read by the grader: give "
              "it in the form the exercise asks for, as in the example under its question.",
        "zh": "评分程序无法读取你的答案（类型为 {kind} 的对象）：请按题目下方示例的形式作答。"},
    "too large": {
        "en": "your answer (an object of type {kind}) is too large to grade: give only what "
              "the question asks for.",
        "zh": "你的答案（类型为 {kind} 的对象）过大，无法评分：只需给出题目要求的内容。"},
    # notes on the run (feedback and the CSV's status column)
    "ok": {"en": "ok", "zh": "正常"},
    "not a notebook": {"en": "not a readable notebook (`{error}`)",
                       "zh": "不是可读取的笔记本文件（`{error}`）"},
    "timeout": {"en": "time limit ({seconds} s) reached in cell {cell} (`{source}`)",
                "zh": "在第 {cell} 个单元格（`{source}`）达到时间上限（{seconds} 秒）"},
    "timeout, ended": {"en": "time limit ({seconds} s) reached: the run was ended",
                       "zh": "达到时间上限（{seconds} 秒）：运行已被终止"},
    "died": {"en": "the kernel stopped in cell {cell} (`{source}`): os._exit, a crash or the "
                   "memory limit",
             "zh": "内核在第 {cell} 个单元格（`{source}`）处终止："
                   "调用了 os._exit、程序崩溃或超出内存上限"},
    "disk": {"en": "wrote more than {mb} MB in its folders: the run was stopped",
             "zh": "在自己的文件夹中写入了超过 {mb} MB 的数据：运行已被终止"},
    "startup": {"en": "the notebook's kernel could not start (`{detail}`)",
                "zh": "笔记本的内核无法启动（`{detail}`）"},
    "memory": {"en": "memory limit ({mb} MB) reached in cell {cell} (`{source}`)",
               "zh": "在第 {cell} 个单元格（`{source}`）超出内存上限（{mb} MB）"},
    "errors": {"en": "{n} cells raised an error: {cells}",
               "zh": "有 {n} 个单元格出错：{cells}"},
    "output": {"en": "printed {mb} MB of output (counted, not kept)",
               "zh": "输出了 {mb} MB 的内容（仅计数，未保存）"},
    "cells": {"en": "{n} of the chapter's cells were deleted or changed: {cells}",
              "zh": "本章有 {n} 个单元格被删除或改动：{cells}"},
    "id changed": {"en": "the student id changes between cells ({ids}); graded as {id}",
                   "zh": "学号在单元格之间发生了变化（{ids}）；按 {id} 评分"},
    "no id": {"en": "no student id set: graded on the chapter's example data (the same for "
                    "everyone)",
              "zh": "未设置学号：按本章的示例数据评分（所有人相同）"},
    "example id": {"en": "the example id {id} is nobody's own id",
                   "zh": "{id} 是示例学号，不是任何人自己的学号"},
    "write outside": {"en": "tried to write outside its folder: {paths} ({how})",
                      "zh": "试图在自己的文件夹之外写入：{paths}（{how}）"},
    "read other": {"en": "tried to read another submission: {paths} ({how})",
                   "zh": "试图读取其他同学的提交：{paths}（{how}）"},
    "read outside": {"en": "tried to read outside its folder: {paths} ({how})",
                     "zh": "试图读取自己文件夹之外的文件：{paths}（{how}）"},
    "ran commands": {"en": "ran commands: {commands}", "zh": "执行了命令：{commands}"},
    "blocked": {"en": "blocked", "zh": "已被阻止"},
    "not blocked": {"en": "not blocked on this machine", "zh": "本机无法阻止"},
    "guessing": {"en": "{exercise} was checked {n} times in one run; the last answer counts",
                 "zh": "{exercise} 在一次运行中被检查了 {n} 次；以最后一个答案为准"},
    "fake record": {"en": "the check record claims {exercises} passed, which the re-check "
                          "does not confirm",
                    "zh": "检查记录声称 {exercises} 通过，但重新核对并不成立"},
    "other ids": {"en": "checks ran for other student ids: {ids}",
                  "zh": "检查时使用了其他学号：{ids}"},
    "no checks": {"en": "none of this chapter's checks ran: is it the right notebook?",
                  "zh": "本章的检查一题都没有运行：提交的是不是本章的笔记本？"},
    "cell error": {"en": "cell {cell} `{error}`", "zh": "第 {cell} 个单元格 `{error}`"},
    "runner failed": {"en": "the grader could not run this notebook (`{detail}`)",
                      "zh": "评分程序无法运行这个笔记本（`{detail}`）"},
    "recheck failed": {"en": "the grader could not re-check the answers (`{detail}`)",
                       "zh": "评分程序无法重新核对答案（`{detail}`）"},
}


def say(key: str, language: str | None = None, **fields) -> str:
    """The sentence ``key`` in ``language`` (default: the current crmlab language), with
    ``fields`` filled in. The grader names the language: its workers share one process."""
    from ..i18n import get_language

    texts = MESSAGES[key]
    return texts.get(language or get_language(), texts["en"]).format(**fields)
