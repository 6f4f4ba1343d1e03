/* Draw every chart of the book to fit its column, on a phone as on a laptop (spinemets.charts).
 *
 * One mechanism for every chart, whatever its shape (single view, layers, stacked views):
 * 1. the plot gets the column's width: a first drawing at a guessed width is measured, and the
 *    plot is redrawn narrower or wider by exactly what the axes, legends and padding took;
 * 2. titles, subtitles and long x-axis titles wrap into lines instead of running off the edge;
 * 3. on a narrow column legends take one column and move out of the plot, under it;
 * 4. a tap (touch has no hover) opens the tooltip of the mark under the finger;
 * 5. when the column changes width (rotation, window resize), the chart is drawn again.
 */
(function () {
  "use strict";
  var MIN_PLOT_WIDTH = 140;   // narrower than this, a plot is unreadable: the box scrolls instead
  var NARROW = 560;           // px of column below which legends go under the plot in one column
  var MIN_TEXT_GAP = 28;      // px between numbers written along an axis (two digits and a gap)
  var MENU_ROOM = 36;         // the actions menu sits in the top-right corner, beside the title
  var measure = null;
  // A long category name breaks into lines of at most 17 characters (three lines at most): the
  // same rule as a Vega expression (for the axis) and in JavaScript (to give the rows room).
  var FIRST_BREAK = "^(?=.{18,})(.{1,17}) ", SECOND_BREAK = "\\|(?=.{18,})(.{1,17}) ";
  var WRAP_LABEL = "split(replace(replace(datum.label, regexp('" + FIRST_BREAK.replace(/\\/g, "\\\\") + "'), '$1|'), regexp('" +
    SECOND_BREAK.replace(/\\/g, "\\\\") + "'), '|$1|'), '|')";
  function labelLines(name) {
    return String(name).replace(new RegExp(FIRST_BREAK), "$1|").replace(new RegExp(SECOND_BREAK), "|$1|").split("|").length;
  }

  function textWidth(text, font) {
    measure = measure || document.createElement("canvas").getContext("2d");
    measure.font = font;
    return measure.measureText(text).width;
  }

  function wrap(text, maxWidth, font) {
    // A title given as lines: wrap each line that is too long on its own.
    if (Array.isArray(text)) { return [].concat.apply([], text.map(function (line) { return wrap(line, maxWidth, font); })); }
    if (typeof text !== "string" || textWidth(text, font) <= maxWidth) { return text; }
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      var longer = line ? line + " " + word : word;
      if (line && textWidth(longer, font) > maxWidth) { lines.push(line); line = word; } else { line = longer; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function font(config, size, weight) {
    return (weight || "normal") + " " + size + "px " + ((config && config.font) || "sans-serif");
  }

  function children(spec) {
    var found = [];
    ["layer", "vconcat", "hconcat", "concat"].forEach(function (key) { found = found.concat(spec[key] || []); });
    if (spec.spec) { found.push(spec.spec); }
    return found;
  }

  function eachView(spec, visit) {
    visit(spec);
    children(spec).forEach(function (child) { eachView(child, visit); });
  }

  // Give every plot of the spec the width `width` (shared out across side-by-side views).
  function setWidth(spec, width) {
    if (spec.vconcat) {
      spec.vconcat.forEach(function (child) { setWidth(child, width); });
    } else if (spec.hconcat || spec.concat) {
      var views = spec.hconcat || spec.concat;
      var columns = spec.hconcat ? views.length : Math.min(spec.columns || views.length, views.length);
      views.forEach(function (child) { setWidth(child, (width - 20 * (columns - 1)) / columns); });
    } else if (spec.facet || spec.repeat) {
      if (spec.spec) { setWidth(spec.spec, width / (spec.columns || 1)); }
    } else {
      spec.width = Math.max(MIN_PLOT_WIDTH, Math.floor(width));
    }
  }

  // The categories a y encoding shows: its explicit sort order, else the distinct values of its field.
  function categories(view, y) {
    if (Array.isArray(y.sort)) { return y.sort; }
    var rows = (view.data && view.data.values) || (view.data && currentDatasets[view.data.name]) || currentRows || [];
    var seen = {};
    rows.forEach(function (row) { if (row && y.field in row) { seen[row[y.field]] = true; } });
    return Object.keys(seen);
  }
  var currentDatasets = {}, currentRows = null;

  // level 0: legends as designed; 1: legends stacked under each other; 2: and in one column.
  function fitted(original, column, plotWidth, level, labelLimit) {
    var spec = JSON.parse(JSON.stringify(original));
    var config = spec.config = spec.config || {};
    currentDatasets = spec.datasets || {};
    currentRows = spec.data ? (spec.data.values || currentDatasets[spec.data.name]) : null;
    var narrow = column < NARROW;
    var titleConfig = config.title || {};
    var axisConfig = config.axis || {};
    spec.autosize = {type: "pad", resize: false};
    config.legend = Object.assign({}, config.legend, {labelLimit: labelLimit}, level >= 2 ? {columns: 1} : {});
    // Narrower plots crowd axis labels: keep a gap between them (Vega then drops every other one).
    config.axis = Object.assign({labelSeparation: 6}, config.axis);
    if (spec.title) {
      var title = typeof spec.title === "object" && !Array.isArray(spec.title) ? spec.title : {text: spec.title};
      var room = column - MENU_ROOM;
      title.text = wrap(title.text, room, font(config, titleConfig.fontSize || 13, titleConfig.fontWeight || "bold"));
      if (title.subtitle) {
        title.subtitle = wrap(title.subtitle, room, font(config, titleConfig.subtitleFontSize || 12, "normal"));
      }
      spec.title = title;
    }
    eachView(spec, function (view) {
      var encoding = view.encoding || {};
      ["x", "x2"].forEach(function (channel) {
        var def = encoding[channel];
        if (def && typeof def.title === "string") {
          def.title = wrap(def.title, plotWidth, font(config, axisConfig.titleFontSize || 11, "bold"));
        }
      });
      // Long category names on the y axis (on a phone, any that would leave the plot no room)
      // break into lines (see WRAP_LABEL), and their rows get the height of those lines.
      var y = encoding.y;
      var names = y && (y.type === "nominal" || y.type === "ordinal") ? categories(view, y) : [];
      var longName = names.some(function (name) { return String(name).length > 24; });
      if ((narrow || longName) && names.length && y.axis !== null && !(y.axis && y.axis.labelExpr)) {
        y.axis = Object.assign({}, y.axis || {}, {labelExpr: WRAP_LABEL});
        if (narrow) { y.axis.labelLimit = Math.min(y.axis.labelLimit || 180, Math.round(column * 0.36)); }
        var lines = names.reduce(function (most, name) { return Math.max(most, labelLines(name)); }, 1);
        var row = lines * 15 + 6;
        if (lines > 1 && names.length) {
          if (typeof view.height === "number") {
            view.height = Math.max(view.height, names.length * row);
          } else if (view.height === undefined && !view.layer) {
            view.height = {step: row};
          }
        }
      }
      // A row of text at given x positions (a number-at-risk table): on a narrow plot keep only
      // positions far enough apart to read (the Data table under the chart keeps them all).
      var x = encoding.x, markType = view.mark && (view.mark.type || view.mark);
      if (markType === "text" && x && x.axis && Array.isArray(x.axis.values) && x.scale && Array.isArray(x.scale.domain)) {
        var span = x.scale.domain[1] - x.scale.domain[0], kept = [];
        x.axis.values.forEach(function (value) {
          if (!kept.length || (value - kept[kept.length - 1]) / span * plotWidth >= MIN_TEXT_GAP) { kept.push(value); }
        });
        if (kept.length < x.axis.values.length) {
          x.axis = Object.assign({}, x.axis, {values: kept});
          view.transform = (view.transform || []).concat([{filter: {field: x.field, oneOf: kept}}]);
        }
      }
      Object.keys(encoding).forEach(function (channel) {
        var legend = encoding[channel] && encoding[channel].legend;
        if (legend && typeof legend === "object") {
          if (level >= 2) { legend.columns = 1; }
          if (narrow && /-/.test(legend.orient || "")) { legend.orient = "bottom"; }   // out of the plot
        }
      });
    });
    setWidth(spec, plotWidth);
    return spec;
  }

  function contentWidth(element) {
    var style = window.getComputedStyle(element);
    return element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }

  // Touch has no hover: after a tap, replay the tap as a pointer move so Vega shows that mark's tooltip.
  function openTooltipsOnTap(view) {
    view.addEventListener("click", function (event) {
      if (event.pointerType === "mouse" || !event.target || event.spinemetsReplay) { return; }
      var move = new PointerEvent("pointermove", {bubbles: true, clientX: event.clientX, clientY: event.clientY, pointerType: "touch"});
      move.spinemetsReplay = true;
      event.target.dispatchEvent(move);
    });
  }

  function drawChart(id, options) {
    var target = document.getElementById(id);
    var source = document.getElementById(id + "-spec");
    if (!target || !source || !window.vegaEmbed) { return Promise.resolve(); }
    var spec = JSON.parse(source.textContent);
    var state = {column: 0, result: null};
    var trial = {};   // what the passes of one fitting learnt

    function render(column, plotWidth, level, labelLimit) {
      if (state.result) { state.result.finalize(); }
      var embedOptions = Object.assign({}, options);
      if (level >= 1) {
        // Several legends under the plot stack one above the other instead of side by side.
        embedOptions.patch = function (vega) {
          vega.config = vega.config || {};
          vega.config.legend = Object.assign({}, vega.config.legend, {layout: {bottom: {anchor: "start", direction: "vertical"}}});
          return vega;
        };
      }
      return window.vegaEmbed(target, fitted(spec, column, plotWidth, level, labelLimit), embedOptions).then(function (result) {
        state.result = result;
        openTooltipsOnTap(result.view);
        var graphic = target.querySelector("svg.marks, canvas.marks");
        if (!graphic) { return {width: column, plotRight: column}; }
        var left = graphic.getBoundingClientRect().left, plotRight = 0;
        // The plot areas: the root view's own background, or those of stacked or side-by-side views.
        graphic.querySelectorAll("g.role-frame.root > g > path.background, g.role-scope[class*='concat_'] > g > path.background").forEach(function (frame) {
          plotRight = Math.max(plotRight, frame.getBoundingClientRect().right - left);
        });
        return {width: graphic.getBoundingClientRect().width, plotRight: plotRight};
      });
    }

    // Draw, measure, correct: the plot takes what the axes leave. When shrinking the plot does not
    // help, the legends are what sticks out: stack them, then one column, then shorter labels.
    function attempt(column, plotWidth, level, labelLimit, previousExcess, passes) {
      return render(column, plotWidth, level, labelLimit).then(function (measured) {
        var excess = Math.ceil(measured.width - column);
        var room = Math.floor(column - measured.plotRight - 2);
        if (Math.abs(excess) <= 1 && trial.legendsSetWidth && !trial.grown && room > 4 && passes < 9) {
          // It fits, but a legend under the plot set the width: the plot may still grow to the edge.
          trial.grown = true;
          return attempt(column, plotWidth + room, level, labelLimit, null, passes + 1);
        }
        if (Math.abs(excess) <= 1 || passes >= 9) { return; }
        var next = Math.max(MIN_PLOT_WIDTH, plotWidth - excess);
        if (excess < 0 && measured.plotRight > 0 && measured.plotRight < measured.width - 2) {
          // Something under the plot (a legend) is wider than it: the plot may grow to the edge.
          next = Math.max(next, plotWidth + Math.floor(column - measured.plotRight - 2));
        }
        var legendsStickOut = excess > 0 && (next === plotWidth || (previousExcess > 0 && excess >= previousExcess - 1));
        if (legendsStickOut) {
          trial.legendsSetWidth = true;
          if (level < 2) { return attempt(column, plotWidth, level + 1, labelLimit, null, passes + 1); }
          if (labelLimit > 60) { return attempt(column, plotWidth, level, Math.max(60, labelLimit - excess), null, passes + 1); }
          return;
        }
        return attempt(column, next, level, labelLimit, excess, passes + 1);
      });
    }

    function fit() {
      var column = Math.floor(contentWidth(target));
      if (column <= 0 || Math.abs(column - state.column) < 2) { return Promise.resolve(); }
      state.column = column;
      var narrow = column < NARROW;
      trial = {legendsSetWidth: false, grown: false};
      return attempt(column, Math.max(MIN_PLOT_WIDTH, column - 90), narrow ? 2 : 0, narrow ? Math.max(60, column - 60) : 400, null, 1)
        .then(function () {
          target.setAttribute("data-fitted-width", String(column));
        }).catch(function (error) {
          target.textContent = "The chart could not be drawn: " + error;
        });
    }

    var pending = null;
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        window.clearTimeout(pending);
        pending = window.setTimeout(fit, 150);
      }).observe(target);
    }
    return fit();
  }

  window.spinemetsDrawChart = drawChart;
})();
