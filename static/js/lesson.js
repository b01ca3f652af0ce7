/* Marks the lesson done when the officer reaches its end (the "Done · next" form comes into
   view). Without this script, or on browsers without IntersectionObserver, the form itself
   does the same when pressed. The server treats a repeated post as a no-op. */
(function () {
  var form = document.getElementById("lesson-end");
  if (!form || !("IntersectionObserver" in window) || !window.fetch) return;
  var observer = new IntersectionObserver(function (entries) {
    if (!entries[0].isIntersecting) return;
    observer.disconnect();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok) document.getElementById("lesson-status").hidden = false;
    }).catch(function () { /* offline: the button still works when the link returns */ });
  });
  observer.observe(form);
})();
