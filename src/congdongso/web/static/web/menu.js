/* The header's links on a phone: folded behind the menu button, opened and closed by it. The CSS
   (web/site.css) folds them only on narrow screens and only once this script has marked the header,
   so a wide screen, or a phone without JavaScript, shows them as before. */
(() => {
  const header = document.querySelector(".topbar");
  const button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  header.classList.add("foldable");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = header.classList.toggle("open");
    button.setAttribute("aria-expanded", String(open));
  });
})();
