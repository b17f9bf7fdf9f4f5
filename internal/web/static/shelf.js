// Shelf's only script: progressive enhancement. Every page works without it.
document.addEventListener("change", function (e) {
  if (e.target.matches("select[data-autosubmit]") && e.target.value) e.target.form.submit();
});
