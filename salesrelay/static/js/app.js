// Behaviour the templates ask for with data attributes: the Content-Security-Policy runs no
// inline script and no on* handler, only files served by the app.
//   <select data-submit-on-change>     submits its form when another option is chosen
//   <select data-navigate-on-change>   goes to the address that is the chosen option's value
//   <form data-confirm="question">     asks before an action that cannot be undone
document.addEventListener("change", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLSelectElement)) return;
  if (field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.submit();
  } else if (field.hasAttribute("data-navigate-on-change") && field.value) {
    window.location.assign(field.value);
  }
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// The acquisition board: a card dragged to another column is moved there through its own form
// (the stage select it carries stays the keyboard way). Cards land in Won and Lost but do not
// leave them. Set up again whenever htmx swaps the board in.
function sortableBoard(root) {
  if (!window.Sortable) return;
  root.querySelectorAll(".board .cards:not([data-sortable])").forEach((list) => {
    list.setAttribute("data-sortable", "");
    window.Sortable.create(list, {
      group: { name: "board", pull: !list.hasAttribute("data-closed"), put: true },
      draggable: ".deal-card",
      filter: "select, button, a",
      preventOnFilter: false,
      onEnd: (event) => {
        const target = event.to.dataset.stage;
        if (event.from === event.to) return;
        const form = event.item.querySelector("form");
        const select = form && form.querySelector("select[name=stage]");
        if (!select) return;
        select.value = target;
        form.requestSubmit();
      },
    });
  });
}
document.addEventListener("DOMContentLoaded", () => sortableBoard(document));
document.addEventListener("htmx:afterSwap", () => sortableBoard(document));

// A formset's "Add a line" (<button data-add-form="TBODY-ID" data-template="TEMPLATE-ID"
// data-prefix="PREFIX">): the row of the <template> is added in place, numbered after the others,
// and the formset's TOTAL_FORMS follows; without script the button posts the page back with one
// more line.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("button[data-add-form]");
  if (!button) return;
  const body = document.getElementById(button.dataset.addForm);
  const template = document.getElementById(button.dataset.template);
  const total = button.form && button.form.querySelector(`input[name="${button.dataset.prefix}-TOTAL_FORMS"]`);
  if (!body || !template || !total) return;
  event.preventDefault();
  const index = Number(total.value);
  body.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__prefix__", String(index)));
  total.value = String(index + 1);
  const first = body.lastElementChild && body.lastElementChild.querySelector("select, input");
  if (first) first.focus();
});

// The search box of the header: "/" anywhere but in a field goes to it, Escape closes its
// dropdown (the results come from the server through htmx; Enter opens them as a page).
document.addEventListener("keydown", (event) => {
  const box = document.getElementById("search");
  if (!box) return;
  const target = event.target;
  const typing = target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    box.focus();
    box.select();
  } else if (event.key === "Escape" && target === box) {
    const results = document.getElementById("search-results");
    if (results) results.replaceChildren();
    box.blur();
  }
});
