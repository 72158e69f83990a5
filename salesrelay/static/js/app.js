// Behaviour the templates ask for with data attributes: the Content-Security-Policy runs no
// inline script and no on* handler, only files served by the app.
//   <select data-submit-on-change>     submits its form when another option is chosen
//   <select data-navigate-on-change>   goes to the address that is the chosen option's value
document.addEventListener("change", (event) => {
  const field = event.target;
  if (!(field instanceof HTMLSelectElement)) return;
  if (field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.submit();
  } else if (field.hasAttribute("data-navigate-on-change") && field.value) {
    window.location.assign(field.value);
  }
});
