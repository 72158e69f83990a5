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
