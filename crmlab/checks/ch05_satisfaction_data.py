"""Exercise checks of chapter 5, the satisfaction trap, on data (sat-6 … sat-8).

Cases: ``sat_panel`` (the four parameters of a synthetic panel; the chapter's are those of
section 7) and ``sat_survey`` (a satisfaction item, a loyalty item and two cut-offs of the
ECSI mobile survey). Every expected answer is computed from the case at run time, the
panel too: its mechanism is ``crmlab.defection``'s, whatever it is. sat-8 (why CSAT alone
predicts churn poorly) is free text, read by the teacher, on the panel of sat-6.

The measures (sat-1 … sat-5) are :mod:`crmlab.checks.ch05_satisfaction`, which states the
rule for shares and percentages sat-7 follows too; like every chapter module, this one
imports only the checks core. Every sentence a student reads is English inside ``_()``,
translated by the catalog ``ch05_satisfaction_data``.
"""

from __future__ import annotations

import inspect
from functools import lru_cache

import pandas as pd

from .. import defection
from ..datasets import load_dataset
from ..i18n import N_, gettext as _
from .core import (case, chapter_example, close, close_hint, exercise, free_text, one_value,
                   read_number, read_pair, read_share, rounded_share, sentences)

#: The chapter of the exercises (its other checks: crmlab.checks.ch05_satisfaction).
CHAPTER = "05_satisfaction_trap"
#: The names a student may give the two values of sat-6's pair answer (dict keys,
#: labelled strings), English and Chinese, first the one the prompt uses.
PANEL_KEYS = (("level", "csat", "score", "分值", "分数", "等级", "得分"),
              ("defectors", "count", "number", "n", "流失客户", "流失人数", "人数", "流失"))


# ------------------------------------------------------------------- the synthetic panel
PANEL_PARAMETERS = ("n", "seed", "latent_strength", "competitor_pressure")


@lru_cache(maxsize=1)
def _generator_defaults() -> tuple:
    signature = inspect.signature(defection.make_satisfaction_panel).parameters
    return tuple(signature[name].default for name in PANEL_PARAMETERS)


def _panel_defaults() -> dict:
    """The generator's own defaults."""
    return dict(zip(PANEL_PARAMETERS, _generator_defaults()))


def _panel_lecture() -> dict:
    """The chapter's panel (section 7): the generator's defaults, at the chapter's size
    where the generator names one (``defection.PANEL_SIZE``)."""
    defaults = _panel_defaults()
    return {**defaults, "n": getattr(defection, "PANEL_SIZE", defaults["n"])}


@lru_cache(maxsize=16)
def _panel_of(n, seed, latent_strength, competitor_pressure) -> pd.DataFrame:
    return defection.make_satisfaction_panel(n, seed, latent_strength=latent_strength,
                                             competitor_pressure=competitor_pressure)


def _panel(c) -> pd.DataFrame:
    """The panel of parameters ``c`` (cached: never change it)."""
    return _panel_of(*(c[name] for name in PANEL_PARAMETERS))


def _by_level(c) -> pd.DataFrame:
    """Customers, defectors, stayers and the defection rate at each CSAT level (cached:
    never change it)."""
    return _by_level_of(*(c[name] for name in PANEL_PARAMETERS))


@lru_cache(maxsize=256)
def _by_level_of(*parameters) -> pd.DataFrame:
    panel = _panel_of(*parameters)
    table = panel.groupby("csat")["defected"].agg(customers="size", defectors="sum")
    table["stayers"] = table["customers"] - table["defectors"]
    table["rate"] = table["defectors"] / table["customers"]
    return table


def _where_defectors(c) -> tuple:
    """The CSAT level with the most defectors and how many defected there."""
    defectors = _by_level(c)["defectors"]
    level = int(defectors.idxmax())
    return (level, int(defectors[level]))


def _panel_valid(c) -> bool:
    table = _by_level(c)
    top = table["defectors"].sort_values()
    if top.iloc[-1] == top.iloc[-2]:                 # one level with the most defectors
        return False
    level, count = _where_defectors(c)
    own_seed = {**_panel_defaults(), "n": c["n"], "seed": c["seed"]}
    return (int(table["customers"].idxmax()) != level     # "most customers": another level
            and int(table["rate"].idxmax()) != level      # "highest rate": another level
            and all((level, count) != _where_defectors(page)   # not the chapter's panel
                    for page in (_panel_lecture(), _panel_defaults()))
            and (level, count) != _where_defectors(own_seed))  # all four parameters matter


@case("sat_panel", valid=_panel_valid)
def _panel_case(draw) -> dict:
    if draw is None:
        return _panel_lecture()
    return {"n": draw.choice([1000, 1500, 2000]), "seed": draw.integer(1, 999_999),
            "latent_strength": draw.step(0.3, 0.9, 0.1),
            "competitor_pressure": draw.step(0.1, 0.5, 0.05)}


@lru_cache(maxsize=1)
def _mobi() -> pd.DataFrame:
    return load_dataset("ecsi_mobi")


def _happy(c, *, strict: bool = False) -> pd.DataFrame:
    data = _mobi()
    s = data[c["satisfaction"]]
    return data[s > c["satisfied_from"]] if strict else data[s >= c["satisfied_from"]]


def _not_loyal_share(c) -> float:
    happy = _happy(c)
    return round(float((happy[c["loyalty"]] < c["loyal_from"]).mean()), 6)


_SURVEY_LECTURE = {"satisfaction": "CUSA1", "loyalty": "CUSL1", "satisfied_from": 9,
                   "loyal_from": 7}
#: The items and cut-offs a variant may use (each one's share is another's slip).
SURVEY_CHOICES = {"satisfaction": ("CUSA1", "CUSA2", "CUSA3"), "loyalty": ("CUSL1", "CUSL3"),
                  "satisfied_from": (8, 9), "loyal_from": (7, 8)}


def _survey_valid(c) -> bool:
    happy = _happy(c)
    share = _not_loyal_share(c)
    count = int((happy[c["loyalty"]] < c["loyal_from"]).sum())
    return (c != _SURVEY_LECTURE and len(happy) >= 20 and 0.02 <= share <= 0.98
            and not close(count, 100 * share, 0.5)      # a count is not read as a percentage
            and not close(share, _not_loyal_share(_SURVEY_LECTURE), 1e-3))


@case("sat_survey", valid=_survey_valid)
def _survey_case(draw) -> dict:
    if draw is None:
        return dict(_SURVEY_LECTURE)
    return {key: draw.choice(options) for key, options in SURVEY_CHOICES.items()}


@exercise("sat-6", chapter=CHAPTER, case="sat_panel", answer=_where_defectors,
          keys=PANEL_KEYS,
          prompt=N_("On your synthetic panel: the CSAT level with the most defectors, and "
                    "how many."))
def _sat_6(answer, c):
    level, count = _where_defectors(c)
    got_level, got_count = read_pair(answer, _("the CSAT level, then its defectors"),
                                     keys=PANEL_KEYS)
    table = _by_level(c)

    def at(lvl: float, column: str) -> float | None:
        return float(table.loc[int(lvl), column]) if float(lvl) in table.index else None

    def same(x, y) -> bool:
        return y is not None and close(x, y, 1e-6)
    worst = int(table["rate"].idxmax())
    crowd = int(table["customers"].idxmax())
    if same(got_level, level) and same(got_count, count):
        trap = defection.satisfied_defectors(_panel(c))
        where = {"worst": worst, "crowd": crowd,
                 "customers": int(table.loc[worst, "customers"])}
        if crowd != level and worst != level:
            why = _("Not the level with the most customers (CSAT {crowd}) nor the one with "
                    "the highest defection rate (CSAT {worst}; n = {customers}): a count of "
                    "defectors is customers × rate.").format(**where)
        elif worst != level:
            why = _("It also has the most customers, while the defection rate is highest at "
                    "CSAT {worst} (n = {customers}): a count of defectors is customers × "
                    "rate.").format(**where)
        elif crowd != level:
            why = _("Its defection rate is the highest, though CSAT {crowd} has the most "
                    "customers.").format(**where)
        else:
            why = _("It has both the most customers and the highest defection rate.")
        return True, sentences(
            _("correct: CSAT {level} holds the most defectors: {count} of your {defectors:.0f} "
              "defectors.").format(level=level, count=count, defectors=trap["defectors"]), why,
            _("{share:.0%} of your defectors gave a CSAT of 8 or more (satisfied, as section 7 "
              "counts them): defection is not confined to the dissatisfied.").format(
                  share=trap["share_of_defectors"]))
    if same(got_level, count) and same(got_count, level):
        return False, _("swapped: the CSAT level first, then the number of defectors.")
    if same(got_level, level) and same(got_count, at(level, "customers")):
        return False, _("the level is right, but that counts every customer at it; count only "
                        "those who defected (defected == 1).")
    most_stayers = int(table["stayers"].idxmax())
    if (same(got_level, level) and same(got_count, at(level, "stayers"))) or (
            same(got_level, most_stayers) and same(got_count, at(most_stayers, "stayers"))):
        return False, _("those are the customers who stayed (defected == 0); count those who "
                        "defected.")
    if same(got_level, crowd) and same(got_count, at(crowd, "customers")):
        return False, _("that level has the most customers; keep only the customers who "
                        "defected before you count.")
    if same(got_level, worst):
        return False, _("that level has the highest defection rate; the question asks where "
                        "the most defectors are — a count, not a rate.")
    if 0 < got_count < 1:
        return False, _("the second number is a count of defectors, not a share or a rate.")
    if same(got_count, float(table["defectors"].sum())):
        return False, _("that is all your defectors; count them at each CSAT level and take "
                        "the largest group.")
    lecture = _panel_lecture()
    if any((got_level, got_count) == _where_defectors(page)
           for page in (lecture, _panel_defaults())):
        return False, chapter_example(_("the panel of section 7"))
    defaults = _panel_defaults()
    mixes = [{k: (defaults[k] if k in kept else c[k]) for k in PANEL_PARAMETERS}
             for kept in _subsets(PANEL_PARAMETERS) if 0 < len(kept) < len(PANEL_PARAMETERS)]
    for mix in mixes:
        if mix != c and (got_level, got_count) == _where_defectors(mix):
            return False, _("that panel leaves {names} at the generator's default; make it "
                            "with all four of your parameters: n, seed, latent_strength and "
                            "competitor_pressure.").format(
                                names=", ".join(k for k in PANEL_PARAMETERS
                                                if mix[k] != c[k]))
    if same(got_level, level):
        return False, _("the level is right; count its defectors again.")
    if at(got_level, "defectors") is not None and same(got_count, at(got_level, "defectors")):
        return False, _("that is the number of defectors at CSAT {level:g}, but another level "
                        "has more: compare every level.").format(level=got_level)
    return False, _("make your panel with your four parameters, keep the customers who "
                    "defected, count them at each CSAT level, and give the level with the "
                    "most and its count.")


def _subsets(items) -> list[tuple]:
    out = [()]
    for item in items:
        out += [s + (item,) for s in out]
    return out


def _survey_share(c, **changes) -> float:
    return _not_loyal_share({**c, **changes})


@exercise("sat-7", chapter=CHAPTER, case="sat_survey", answer=_not_loyal_share,
          prompt=N_("ECSI mobile survey: share of the highly satisfied who are not loyal, "
                    "for your items and cut-offs."))
def _sat_7(answer, c):
    expected = _not_loyal_share(c)
    raw = one_value(answer)
    got = read_share(raw)
    data = _mobi()
    happy = _happy(c)
    if close(got, expected, 0.001):
        return True, _("correct: {share:.1%} of the {n} respondents with {item} ≥ {cut} are "
                       "not loyal.").format(share=expected, n=len(happy),
                                            item=c["satisfaction"], cut=c["satisfied_from"])
    if close(read_number(raw), (happy[c["loyalty"]] < c["loyal_from"]).sum()):
        return False, _("that is a count; give the share of the highly satisfied.")
    everyone = float(((data[c["satisfaction"]] >= c["satisfied_from"])
                      & (data[c["loyalty"]] < c["loyal_from"])).mean())
    if close(got, everyone, 0.001):
        return False, _("that is a share of all respondents; divide by the highly satisfied "
                        "only.")
    if close(got, float((happy[c["loyalty"]] <= c["loyal_from"]).mean()), 0.001):
        return False, _("a loyalty answer equal to the cut-off counts as loyal.")
    strict = _happy(c, strict=True)
    if len(strict) and close(got, float((strict[c["loyalty"]] < c["loyal_from"]).mean()),
                             0.001):
        return False, _("a satisfaction answer equal to your cut-off counts as highly "
                        "satisfied: keep those at or above it.")
    if close(got, 1 - expected, 0.001):
        return False, _("that is the loyal share; the question asks for the others.")
    if close(got, _not_loyal_share(_SURVEY_LECTURE), 0.001):
        return False, chapter_example(_("section 6: CUSA1 ≥ 9 and CUSL1 below 7"))
    others = [(abs(got - _survey_share(c, **{key: option})), key, option)
              for key, options in SURVEY_CHOICES.items() for option in options
              if option != c[key]]
    gap, key, option = min(others, key=lambda t: t[0])
    if gap <= 0.001:
        return False, _("that share uses {option} where your {what} is {yours}: use your own "
                        "items and cut-offs.").format(option=option, what=key, yours=c[key])
    if rounded_share(raw, expected):
        return False, close_hint()
    return False, _("keep the respondents at or above your satisfaction cut-off, then find "
                    "the share below your loyalty cut-off.")


free_text("sat-8", chapter=CHAPTER, data_from="sat-6",
          note=N_("Use your sat-6 panel: make it with your parameters, then compare CSAT alone "
                  "with all the features, as section 7 does with defection.churn_models."))
