// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // "Copy" buttons copy the text of the element named by data-copy.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      try {
        // A text area's text is its value (what is shown, even once edited).
        await navigator.clipboard.writeText(
          source.tagName === "TEXTAREA" ? source.value : source.innerText,
        );
        button.dataset.done = "1";
        button.textContent = button.dataset.copiedLabel || button.textContent;
      } catch (err) {
        if (source.tagName === "TEXTAREA") source.select();
        else window.getSelection().selectAllChildren(source);
      }
    });
  });
  // "Print" buttons. Behaviour lives here, not in onclick attributes: the
  // Content-Security-Policy runs no inline script.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // "Tick everyone" / "Untick everyone" (data-tick="all" or "none") set every
  // checkbox of the fieldset the button is in (the attendance list).
  document.querySelectorAll("[data-tick]").forEach((button) => {
    button.addEventListener("click", () => {
      const on = button.dataset.tick === "all";
      const scope = button.closest("fieldset") || button.form || document;
      scope.querySelectorAll("input[type=checkbox]").forEach((box) => {
        box.checked = on;
      });
    });
  });
  // An image box (data-image-preview names its picture) shows the chosen file before
  // it is saved, read as a data: URL (the only kind of picture the CSP allows besides
  // the site's own); anything but a PNG or JPEG puts the stored picture back.
  document.querySelectorAll("input[type=file][data-image-preview]").forEach((input) => {
    const img = document.getElementById(input.dataset.imagePreview);
    if (!img) return;
    const stored = img.src;
    const note = document.querySelector(`[data-preview-note="${img.id}"]`);
    const chosen = document.querySelector(`[data-preview-chosen="${img.id}"]`);
    const show = (src, isChosen) => {
      img.src = src;
      if (note) note.hidden = isChosen;
      if (chosen) chosen.hidden = !isChosen;
    };
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file || !/^image\/(png|jpeg)$/.test(file.type)) {
        show(stored, false);
        return;
      }
      const reader = new FileReader();
      reader.addEventListener("load", () => show(reader.result, true));
      reader.readAsDataURL(file);
    });
  });
  // htmx sends the CSRF token with every request it makes.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("meta[name=csrf-token]");
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });
});
