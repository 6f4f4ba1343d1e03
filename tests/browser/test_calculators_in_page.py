"""The score calculators on the built pages, in Chromium with every other origin blocked: their
results equal the Python functions', and a reader can use them (phone, keyboard, screen reader, paper).

Equality: each calculator's inputs are set as a reader would leave them (radio checked, list
entry selected, number typed), a ``change`` event is sent, and the page's total, band and proposal
are read back and compared with the public functions of ``spinemets.scores``,
``spinemets.radiation`` and ``spinemets.pathway``: every combination of answers where they number
a few thousand, a seeded sample of 1,000 otherwise. Many combinations run in one
``page.evaluate``, so the whole file takes seconds, not one page load per combination.

Every calculator on the site must have an entry in ``EXPECTED``: a new calculator without one
fails ``test_every_calculator_is_checked``.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from pathlib import Path

import pytest

from browser_support import SITE
from spinemets import data, pathway, radiation, scores
from spinemets.formula import fixed

MARK = re.compile(r'<form class="spinemets-calc" id="([^"]+)"')
SAMPLE = 1000
MIN_TARGET_PX = 24

# Set the answers of one combination, send the event a reader's change sends, read the result.
RUN_JS = """
([formId, combos]) => {
  const form = document.getElementById(formId);
  const text = (sel) => { const node = form.querySelector(sel); return node ? node.textContent.trim() : null; };
  return combos.map((answers) => {
    for (const [key, value] of Object.entries(answers)) {
      const field = form.elements[key];
      if (field instanceof RadioNodeList) {
        let found = false;
        for (const radio of field) { radio.checked = radio.value === value; found = found || radio.checked; }
        if (!found) { return {error: `no answer ${value} for ${key}`}; }
      } else {
        field.value = value;
        if (field.value !== value) { return {error: `the field ${key} refused ${value}`}; }
      }
    }
    form.querySelector('input, select').dispatchEvent(new Event('change', {bubbles: true}));
    const result = {};
    form.querySelectorAll('.spinemets-calc-result [class^="calc-"], .calc-outcome').forEach((node) => {
      result[node.className.replace('calc-', '')] = node.textContent.trim();
    });
    result.answers = Array.from(form.querySelectorAll('.spinemets-calc-answers dd')).map((dd) => dd.textContent.trim());
    return result;
  });
}
"""


def calculator_pages() -> dict[str, list[str]]:
    """Built page -> the ids of the calculators on it."""
    found = {}
    for page in sorted(SITE.rglob("*.html")) if SITE.is_dir() else []:
        if "_static" in page.relative_to(SITE).parts:
            continue
        ids = MARK.findall(page.read_text(encoding="utf-8"))
        if ids:
            found[page.relative_to(SITE).as_posix()] = ids
    return found


def options(score: scores.Score) -> list[list[str]]:
    return [[option.value for option in item.options] for item in score.items]


def every(score: scores.Score) -> list[dict]:
    keys = [item.key for item in score.items]
    return [dict(zip(keys, values)) for values in itertools.product(*options(score))]


def count_of(answer: str) -> int:
    """A count the answer stands for, read from its words: '0' -> 0, '1-2' -> 1, '3 or more' -> 3."""
    return int(re.match(r"\d+", answer).group())


# --- What the Python functions say, per calculator ------------------------------------------------

def tokuhashi_expected(answers: dict) -> dict:
    total = scores.tokuhashi_revised(
        answers["general_condition"], count_of(answers["extraspinal_bone_metastases"]),
        count_of(answers["vertebral_metastases"]), answers["organ_metastases"], answers["primary_site"],
        answers["frankel"])
    return {"total": str(total), "band": scores.tokuhashi_band(total), "proposal": scores.tokuhashi_recommendation(total),
            "outcome_count": case_count(printed_tokuhashi(), scores.TOKUHASHI_BANDS, total)}


@functools.cache
def printed_tokuhashi():
    """The revised Tokuhashi score Table 1 prints for each patient (loaded and validated once)."""
    return data.load()["tokuhashi"]


def case_count(printed_scores, bands, total) -> int:
    low, high = next((low, high) for low, high, _ in bands if low <= total <= high)
    return int(printed_scores.between(low, high).sum())


def tomita_expected(answers: dict) -> dict:
    total = scores.tomita_score(answers["primary"], answers["visceral_metastases"], answers["bone_metastases"])
    goal, _, strategy = scores.tomita_goal(total).partition(": ")
    return {"total": str(total), "band": goal, "proposal": strategy}


def sins_expected(answers: dict) -> dict:
    result = scores.sins(**answers)
    return {"total": str(result.total), "band": result.category}


def escc_expected(answers: dict) -> dict:
    grade = answers["grade"]
    return {"choice": f"{grade}: {scores.ESCC_GRADES[grade]}",
            "band": "high grade" if scores.escc_is_high_grade(grade) else "low grade"}


def bed_expected(answers: dict) -> dict:
    dose, fractions, alpha_beta = float(answers["total_dose_gy"]), int(answers["fractions"]), float(answers["alpha_beta"])
    return {"bed": fixed(radiation.bed(dose, fractions, alpha_beta), 1),
            "eqd2": fixed(radiation.eqd2(dose, fractions, alpha_beta), 1)}


def bed_sample() -> list[dict]:
    rng = random.Random(20261203)
    return [{"total_dose_gy": f"{rng.randint(10, 800) / 10:g}", "fractions": str(rng.randint(1, 40)),
             "alpha_beta": f"{rng.randint(5, 200) / 10:g}"} for _ in range(SAMPLE)]


def noms_sample() -> list[dict]:
    """Whole fictional patients: a histology of the table, an ESCC grade, every SINS and Tokuhashi item, fitness."""
    rng = random.Random(20261204)
    histologies = list(pathway.radiosensitivity_table()["histology"])
    choices = {"histology": histologies, "escc": options(scores.ESCC)[0], "fit": ["yes", "no"]}
    for prefix, score in (("sins", scores.SINS_SCORE), ("tokuhashi", scores.TOKUHASHI)):
        choices.update({f"{prefix}.{item.key}": values for item, values in zip(score.items, options(score))})
    return [{key: rng.choice(values) for key, values in choices.items()} for _ in range(SAMPLE)]


def noms_expected(answers: dict) -> dict:
    sins_items = {key.split(".")[1]: value for key, value in answers.items() if key.startswith("sins.")}
    level = scores.SINS_LEVELS[sins_items.pop("location")][0]   # a level of the chosen location class
    tokuhashi = {key.split(".")[1]: value for key, value in answers.items() if key.startswith("tokuhashi.")}
    for key in ("extraspinal_bone_metastases", "vertebral_metastases"):
        tokuhashi[key] = count_of(tokuhashi[key])
    patient = pathway.Patient("browser test", answers["histology"], level, answers["escc"], sins_items, tokuhashi,
                              fit_for_surgery=answers["fit"] == "yes")
    result = pathway.noms(patient)
    instability = scores.sins(level, **sins_items)
    total = scores.tokuhashi_revised(**tokuhashi)
    return {"sins-total": str(instability.total), "sins-band": instability.category,
            "tokuhashi-total": str(total), "tokuhashi-band": scores.tokuhashi_band(total),
            "radiation": result.radiation or "none", "operation": result.operation or "none",
            "stabilisation": result.stabilisation or "none"}


BAUER_SITE = {"favourable": "kidney", "other": "prostate", "lung": "lung"}   # a site for each answer


def bauer_expected(answers: dict) -> dict:
    total = scores.modified_bauer(answers["visceral_metastases"] == "present", BAUER_SITE[answers["primary"]],
                                  1 if answers["skeletal_metastases"] == "solitary" else 3)
    group = next(f"{low}-{high}" for low, high, _ in scores.NESMS_BAUER_POINTS if low <= total <= high)
    return {"total": str(total), "band": group}


def nesms_expected(answers: dict) -> dict:
    bauer = count_of(answers["modified_bauer"])    # '0-2' -> 0, '3-4' -> 3
    albumin = 3.0 if answers["albumin"].startswith("below") else 4.0
    return {"total": str(scores.nesms(bauer, answers["ambulatory"], albumin))}


# form id -> (combinations, expected result of one combination)
EXPECTED = {
    "calc-tokuhashi": (lambda: every(scores.TOKUHASHI), tokuhashi_expected),
    "calc-tomita": (lambda: every(scores.TOMITA), tomita_expected),
    "calc-sins": (lambda: every(scores.SINS_SCORE), sins_expected),
    "calc-escc": (lambda: every(scores.ESCC), escc_expected),
    "calc-bed-eqd2": (bed_sample, bed_expected),
    "calc-noms": (noms_sample, noms_expected),
    "calc-modified-bauer": (lambda: every(scores.MODIFIED_BAUER), bauer_expected),
    "calc-nesms": (lambda: every(scores.NESMS), nesms_expected),
}

PAGES = calculator_pages()
CALCULATORS = [(page, form) for page, forms in PAGES.items() for form in forms]


@pytest.fixture
def offline_page(browser, site_url):
    """A page whose every request to another origin is refused and recorded, console errors too."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, service_workers="block")
    record = {"blocked": [], "errors": []}

    def gate(route):
        if route.request.url.startswith(site_url + "/"):
            route.continue_()
        else:
            record["blocked"].append(route.request.url)
            route.abort("blockedbyclient")

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and record["errors"].append(msg.text))
    page.on("pageerror", lambda error: record["errors"].append(str(error)))
    page.record = record
    yield page
    context.close()


def open_page(page, site_url, path):
    page.goto(f"{site_url}/{path}", wait_until="load")
    page.wait_for_function("() => Array.from(document.querySelectorAll('form.spinemets-calc')).every(f => f.dataset.ready)")


def test_every_calculator_is_checked():
    if not PAGES:
        pytest.skip("no built site with calculators (run make book first)")
    assert {form for _, form in CALCULATORS} == set(EXPECTED), "each calculator on the site needs its entry in EXPECTED"


@pytest.mark.parametrize("calc_page, form_id", CALCULATORS or [("<no built site>", "")])
def test_calculator_equals_the_python_function(offline_page, site_url, calc_page, form_id, record_property):
    combos_of, expected_of = EXPECTED[form_id]
    combos = combos_of()
    open_page(offline_page, site_url, calc_page)
    results = []
    for start in range(0, len(combos), 2000):
        results += offline_page.evaluate(RUN_JS, [form_id, combos[start:start + 2000]])
    mismatches = []
    for answers, shown in zip(combos, results):
        expected = expected_of(answers)
        outcome_count = expected.pop("outcome_count", None)
        got = {key: shown.get(key) for key in expected}
        if "error" in shown or got != expected:
            mismatches.append((answers, shown.get("error") or got, expected))
        elif outcome_count is not None and not shown["outcome"].startswith(
                f"{outcome_count} of the" if outcome_count else "None of the"):
            mismatches.append((answers, shown["outcome"][:60], outcome_count))
    record_property("combinations", len(combos))
    print(f"{form_id}: {len(combos)} combinations compared")
    assert len(results) == len(combos) >= min(SAMPLE, len(combos))
    assert not mismatches, f"{len(mismatches)} of {len(combos)} differ, first: {mismatches[:3]}"
    assert not offline_page.record["blocked"] and not offline_page.record["errors"], offline_page.record


@pytest.mark.parametrize("calc_page", list(PAGES) or ["<no built site>"])
def test_page_text_before_the_script_equals_the_script(browser, site_url, calc_page):
    """The HTML's default result (what a reader without JavaScript, or paper, sees) is the script's result."""
    static = browser.new_context(java_script_enabled=False)
    page = static.new_page()
    page.goto(f"{site_url}/{calc_page}")
    read = "() => Array.from(document.querySelectorAll('form.spinemets-calc')).map(f => [f.id, " \
           "f.querySelector('.spinemets-calc-result').textContent, f.querySelector('.spinemets-calc-answers').textContent])"
    before = page.evaluate(read)
    static.close()
    live = browser.new_context()
    page = live.new_page()
    open_page(page, site_url, calc_page)
    page.evaluate("() => document.querySelectorAll('form.spinemets-calc').forEach(f => f.spinemetsUpdate())")
    after = page.evaluate(read)
    live.close()
    for one, other in zip(before, after):
        assert one == other, [(a, b) for a, b in zip(one, other) if a != b]
    assert len(before) == len(after)


@pytest.mark.parametrize("calc_page", list(PAGES) or ["<no built site>"])
def test_usable_on_a_phone(browser, site_url, calc_page):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = context.new_page()
    open_page(page, site_url, calc_page)
    report = page.evaluate("""() => Array.from(document.querySelectorAll('form.spinemets-calc')).map((form) => ({
      id: form.id,
      overflow: form.scrollWidth - form.clientWidth,
      small: Array.from(form.querySelectorAll('input, select')).map((c) => [c.name, c.getBoundingClientRect()])
        .filter(([, box]) => box.width < 24 || box.height < 24).map(([name]) => name),
      unlabelled: Array.from(form.querySelectorAll('input, select')).filter((c) => !c.labels.length).map((c) => c.name),
      tiny_text: Array.from(form.querySelectorAll('label, legend, p, option')).filter(
        (n) => parseFloat(getComputedStyle(n).fontSize) < 12).length,
      live: !!form.querySelector('[aria-live="polite"] .calc-total, [aria-live="polite"] .calc-band, [aria-live="polite"] [class^="calc-"]'),
      source: form.querySelector('.spinemets-calc-source').textContent,
    }))""")
    context.close()
    assert report
    for calc in report:
        assert calc["overflow"] <= 0, calc
        assert not calc["small"], f"{calc['id']}: controls under {MIN_TARGET_PX} px: {calc['small']}"
        assert not calc["unlabelled"] and not calc["tiny_text"] and calc["live"], calc
        assert "Source:" in calc["source"] and "Teaching, not clinical use" in calc["source"], calc


@pytest.mark.parametrize("calc_page", list(PAGES) or ["<no built site>"])
def test_keyboard_changes_the_result(browser, site_url, calc_page):
    """Tab into the first calculator, change its first answer with the keyboard only: the result and the
    answers written out (what the page announces and prints) follow."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    open_page(page, site_url, calc_page)
    state = "() => { const f = document.querySelector('form.spinemets-calc'); " \
            "return f.querySelector('.spinemets-calc-result').textContent + f.querySelector('.spinemets-calc-answers').textContent; }"
    before = page.evaluate(state)
    page.evaluate("() => { const f = document.querySelector('form.spinemets-calc'); "
                  "const b = document.createElement('button'); b.id = 'kbd-start'; f.before(b); b.focus(); }")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.tagName, document.activeElement.type]")
    page.keyboard.press("ArrowDown")   # radio: the next answer; list: the next entry; number: one step down
    after = page.evaluate(state)
    context.close()
    assert focused[0] in ("INPUT", "SELECT") and before != after, (focused, before, after)


@pytest.mark.parametrize("calc_page", list(PAGES) or ["<no built site>"])
def test_printed_calculator_writes_its_answers_out(browser, site_url, calc_page):
    context = browser.new_context()
    page = context.new_page()
    open_page(page, site_url, calc_page)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('form.spinemets-calc')).map((form) => ({
      controls: getComputedStyle(form.querySelector('.spinemets-calc-controls')).display,
      answers: form.querySelector('.spinemets-calc-answers').innerText.trim(),
      questions: form.querySelectorAll('fieldset, .spinemets-calc-item').length,
      written: form.querySelectorAll('.spinemets-calc-answers dt').length,
      result: form.querySelector('.spinemets-calc-result').innerText.trim(),
    }))""")
    context.close()
    for calc in shown:
        assert calc["controls"] == "none" and calc["answers"] and calc["result"], calc
        assert calc["written"] == calc["questions"], calc
