"""Sphinx extension: exercises numbered per chapter, and solution titles whose link works.

* sphinx-exercise numbers exercises with Sphinx's figure numbering, which without section
  numbers counts across the whole book (the fifth chapter started at Exercise 13). After Sphinx
  assigns the numbers, each chapter's exercises are renumbered 1, 2, 3 in the order they appear.
* sphinx-togglebutton makes a solution's whole title a toggle, and its click handler finds no
  button when the click lands on the link to the exercise inside the title: the page threw
  ``ReferenceError: button is not defined``. ``spinemets-exercises.js`` lets such a click
  follow the link and turns any other click inside the title into a click on the title.
"""

from __future__ import annotations

SCRIPT = "spinemets-exercises.js"


def number_exercises_per_chapter(app, env) -> list[str]:
    for docname, numbers in env.toc_fignumbers.items():
        exercises = numbers.get("exercise")
        if exercises:
            in_order = sorted(exercises, key=lambda node_id: exercises[node_id])
            numbers["exercise"] = {node_id: (position,) for position, node_id in enumerate(in_order, start=1)}
    return []


def setup(app):
    # After Sphinx's own TocTreeCollector (priority 500) has assigned the book-wide numbers.
    app.connect("env-get-updated", number_exercises_per_chapter, priority=900)
    app.add_js_file(SCRIPT, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
