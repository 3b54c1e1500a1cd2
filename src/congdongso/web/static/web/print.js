/* A button marked data-print prints the page: the site's Content-Security-Policy refuses inline
   handlers (onclick="window.print()"), so the click is bound here. */
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
