/* The book's score calculators (spinemets.calculators): one generic script for every calculator.
 *
 * Each calculator is a <form class="spinemets-calc"> whose data-calculator attribute holds its
 * definition as JSON, generated from the package's single definition of the score:
 *  - kind "points": items with options and points, and bands of the total with their texts; the
 *    total is the sum of the chosen options' points, the band the one that holds it;
 *  - kind "formula": number fields and formulas as trees (["*", "a", ["+", 1, "b"]]), evaluated
 *    in order, each result available to the next under its key;
 *  - kind "pathway": scores computed as above from their items (named "score.item"), then a
 *    decision table (filled by the Python model for every combination of the facts it reads) looked
 *    up with those facts: an answer, an attribute of an answer, or a score's band.
 * The server-side HTML already shows the default answers and their result; this script recomputes
 * them when the reader changes an answer, with the same sentences as the Python that wrote them.
 * Nothing here knows any particular score.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function firstUpper(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

  function line(before, strongClass, value, after, tag) {
    var p = el("p");
    p.appendChild(document.createTextNode(before));
    p.appendChild(el(tag || "strong", strongClass, value));
    if (after) { p.appendChild(document.createTextNode(after)); }
    return p;
  }

  function writeAnswers(form, answers) {
    var list = form.querySelector(".spinemets-calc-answers");
    list.textContent = "";
    answers.forEach(function (pair) { list.appendChild(el("dt", "", pair[0])); list.appendChild(el("dd", "", pair[1])); });
  }

  function points(form, spec) {
    var total = 0, answers = [], result = form.querySelector(".spinemets-calc-result");
    result.textContent = "";
    spec.items.forEach(function (item) {
      var value = form.elements[item.key].value;
      var option = item.options.filter(function (o) { return o.value === value; })[0];
      total += option.points;
      answers.push([item.label, spec.show_total ? option.text + " (" + option.points + ")" : option.text]);
      if (!spec.show_total) { result.appendChild(line(item.label + ": ", "calc-choice", option.text)); }   // a grade: which one
    });
    var added = total;
    if (spec.ceiling !== null && total > spec.ceiling) { total = spec.ceiling; }   // NESMS: 4 points score 3
    var band = spec.bands.filter(function (b) { return b.low <= total && total <= b.high; })[0];
    if (spec.show_total) {
      result.appendChild(line("Total ", "calc-total", String(total),
        " (of " + spec.range[0] + "-" + spec.range[1] + "; " + (spec.better === "lower" ? "lower" : "higher") + " is better" +
        (added !== total ? "; the points add up to " + added + ", counted as " + total : "") + ")"));
    }
    if (band) { result.appendChild(line(firstUpper(spec.band_title) + ": ", "calc-band", band.label)); }
    if (band && band.proposal) { result.appendChild(line(firstUpper(spec.proposal_title) + ": ", "calc-proposal", band.proposal, "", "span")); }
    var outcome = form.querySelector(".calc-outcome");
    if (outcome && band && band.outcome) { outcome.textContent = band.outcome; }
    writeAnswers(form, answers);
  }

  function evaluate(node, values) {
    if (typeof node === "number") { return node; }
    if (typeof node === "string") { return values[node]; }
    var a = evaluate(node[1], values), b = evaluate(node[2], values);
    return node[0] === "+" ? a + b : node[0] === "-" ? a - b : node[0] === "*" ? a * b : a / b;
  }

  function formula(form, spec) {
    var values = {}, answers = [], problem = null;
    spec.inputs.forEach(function (input) {
      var field = form.elements[input.key], text = field.value.trim(), value = Number(text);
      answers.push([input.label, text]);
      if (problem) { return; }
      if (text === "" || !isFinite(value) || value < input.low || value > input.high || (input.whole && Math.floor(value) !== value)) {
        problem = "Enter " + (input.whole ? "a whole number" : "a number") + " from " + input.low + " to " + input.high +
          " for: " + input.label + ".";
      }
      values[input.key] = value;
    });
    var result = form.querySelector(".spinemets-calc-result");
    result.textContent = "";
    if (problem) { result.appendChild(el("p", "calc-problem", problem)); writeAnswers(form, answers); return; }
    spec.outputs.forEach(function (output) {
      values[output.key] = evaluate(output.tree, values);
      result.appendChild(line(output.label + ": ", "calc-" + output.key, values[output.key].toFixed(output.decimals), " " + output.unit));
    });
    writeAnswers(form, answers);
  }

  function scoreOf(form, score, prefix) {
    var total = 0;
    score.items.forEach(function (item) {
      var value = form.elements[prefix + item.key].value;
      total += item.options.filter(function (o) { return o.value === value; })[0].points;
    });
    return {total: total, band: score.bands.filter(function (b) { return b.low <= total && total <= b.high; })[0]};
  }

  // Every question of the form and its answer as the reader sees them, in the order shown.
  function shownAnswers(form) {
    return Array.prototype.map.call(form.querySelectorAll(".spinemets-calc-controls > .spinemets-calc-item"), function (item) {
      var question = item.querySelector("legend, label");
      var select = item.querySelector("select"), radio = item.querySelector("input:checked");
      var answer = select ? select.options[select.selectedIndex].textContent : radio ? radio.parentNode.querySelector("span").textContent : "";
      return [question.textContent, answer];
    });
  }

  function pathway(form, spec) {
    var result = form.querySelector(".spinemets-calc-result"), found = {};
    result.textContent = "";
    spec.scores.forEach(function (score) {
      var scored = scoreOf(form, score, score.key + ".");
      found[score.key] = scored;
      var p = line(score.name + ": ", "calc-" + score.key + "-total", String(scored.total), ", ");
      p.appendChild(el("span", "calc-" + score.key + "-band", scored.band.label));
      result.appendChild(p);
    });
    var leaf = spec.table;
    spec.key.forEach(function (part) {
      var value;
      if (part.band) { value = found[part.band].band.label; } else {
        var field = form.elements[part.input];
        value = part.attribute ? field.options[field.selectedIndex].getAttribute("data-" + part.attribute) : field.value;
      }
      leaf = leaf[value];
    });
    spec.outputs.forEach(function (output, n) { result.appendChild(line(output.label + ": ", "calc-" + output.key, spec.words[leaf[n]])); });
    writeAnswers(form, shownAnswers(form));
  }

  var KINDS = {points: points, formula: formula, pathway: pathway};

  function setUp(form) {
    var spec = JSON.parse(form.getAttribute("data-calculator"));
    var update = function () { KINDS[form.getAttribute("data-kind")](form, spec); };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.spinemetsUpdate = update;   // the browser tests set many answers, then call this once per combination
    form.setAttribute("data-ready", "true");
  }

  function setUpAll() { document.querySelectorAll("form.spinemets-calc").forEach(setUp); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUpAll); } else { setUpAll(); }
})();
