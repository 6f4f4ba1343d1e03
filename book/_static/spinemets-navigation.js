/* Following a link in the chapter list or in "on this page" closes the dialog it opened in (below
   992 px pydata-sphinx-theme shows both as dialogs and leaves them open over the section the
   reader jumped to). The link's own navigation then goes ahead. */
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("dialog a[href]") : null;
  var dialog = link ? link.closest("dialog") : null;
  if (dialog && dialog.open) {
    dialog.close();
  }
});
