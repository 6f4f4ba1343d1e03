/* Solution titles (sphinx-exercise + sphinx-togglebutton): see spinemets/sphinx_exercises.py. */
document.addEventListener("click", function (event) {
  var title = event.target.closest && event.target.closest(".solution.dropdown > .admonition-title");
  if (!title || event.target === title || event.target.closest(".toggle-button")) { return; }
  // A click the toggle's own handler would not understand: keep it from reaching that handler.
  event.stopPropagation();
  if (!event.target.closest("a")) { title.click(); }   // a link inside the title just navigates
}, true);
