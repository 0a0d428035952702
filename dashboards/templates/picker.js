// Role picker: the chosen role is the URL hash (#<role-slug>), so a link can name a role
// and Back works. The role's standalone page is fetched and its <main> swapped in; if
// fetching fails (e.g. the site opened from file://), the browser goes to that page.
(function () {
  "use strict";
  var select = document.getElementById("role-picker");
  var view = document.getElementById("role-view");
  if (!select || !view) return;

  function optionFor(slug) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === slug && slug !== "") return select.options[i];
    }
    return null;
  }

  function show(slug) {
    var option = optionFor(slug);
    if (!option) return;
    select.value = slug;
    view.setAttribute("aria-busy", "true");
    fetch(option.getAttribute("data-page"))
      .then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var main = page.querySelector("main");
        if (!main) throw new Error("no <main> in " + option.getAttribute("data-page"));
        view.replaceChildren(document.importNode(main, true));
        view.setAttribute("data-role-slug", slug);
        view.removeAttribute("aria-busy");
        document.title = option.textContent + ": industry outlook";
      })
      .catch(function () {
        window.location.href = option.getAttribute("data-page");
      });
  }

  function fromHash() {
    return decodeURIComponent(window.location.hash.replace(/^#/, ""));
  }

  select.addEventListener("change", function () {
    if (select.value) window.location.hash = encodeURIComponent(select.value);
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
