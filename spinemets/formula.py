"""Arithmetic formulas written once, evaluated the same way in Python and on the page.

A formula is a string of arithmetic (``+ - * /``, parentheses, numbers and names), parsed once
into a small tree. ``Formula.__call__`` evaluates the tree in Python; ``Formula.tree`` is the same
tree as JSON, which the book's one calculator script (``book/_static/spinemets-calculators.js``)
walks in the browser. Both apply the same operations in the same order to the same IEEE doubles, so
they give the same number, not merely a close one.

    >>> area = Formula("width * height / 2")
    >>> area(width=3, height=4)
    6.0
"""

from __future__ import annotations

import ast
from decimal import ROUND_HALF_UP, Decimal

OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}


def _tree(node: ast.AST, expression: str):
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return [OPERATORS[type(node.op)], _tree(node.left, expression), _tree(node.right, expression)]
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name):
        return node.id
    raise ValueError(f"formula {expression!r}: only + - * /, parentheses, numbers and names are allowed")


class Formula:
    def __init__(self, expression: str):
        self.expression = expression
        self.tree = _tree(ast.parse(expression, mode="eval").body, expression)

    @property
    def names(self) -> set[str]:
        def walk(node):
            if isinstance(node, str):
                return {node}
            if isinstance(node, list):
                return walk(node[1]) | walk(node[2])
            return set()
        return walk(self.tree)

    def __call__(self, **values: float) -> float:
        missing = self.names - set(values)
        if missing:
            raise ValueError(f"formula {self.expression!r} needs {sorted(missing)}")

        def evaluate(node):
            if isinstance(node, float):
                return node
            if isinstance(node, str):
                return values[node]
            op, left, right = node[0], evaluate(node[1]), evaluate(node[2])
            return left + right if op == "+" else left - right if op == "-" else left * right if op == "*" else left / right
        return evaluate(self.tree)

    def __repr__(self) -> str:
        return f"Formula({self.expression!r})"


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, a tie rounded up as JavaScript's ``toFixed`` rounds it
    (Python's format rounds the exact binary value half to even: 39.25 -> '39.2', toFixed '39.3')."""
    quantum = Decimal(1).scaleb(-decimals)
    return str(Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP))
