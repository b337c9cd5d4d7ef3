// Small behaviours of the console that need no library: confirm dangerous actions,
// fill a reply from a canned text. (The inbox refresh uses htmx attributes.)
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-canned-for]");
  if (!select) { return; }
  var option = select.options[select.selectedIndex];
  var area = document.getElementById(select.getAttribute("data-canned-for"));
  if (area && option && option.getAttribute("data-text")) {
    area.value = option.getAttribute("data-text");
  }
});
