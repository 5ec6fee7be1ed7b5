/* Donde Reclamo: the complaint letter on a company page.
 *
 * Builds the text of a complaint from what the visitor typed, citing the legal
 * rule and the deadline the page worked out (dr-time.js sets data-legal-deadline
 * for a complaint filed now).  Nothing typed leaves the browser: no request is
 * made; "copy" uses the clipboard and "mail" only fills a mailto: link.
 * The words come from the page (<script id="dr-strings">), as for dr-time.js.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function strings() {
    var element = document.getElementById("dr-strings");
    try { return element ? JSON.parse(element.textContent) : null; } catch { return null; }
  }

  function longDate(locale, iso) {
    var d = new Date(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)));
    return new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(d);
  }

  function letterText(form, raw) {
    var value = function (name) { return form.elements[name].value.trim(); };
    var lines = [fill(raw.letter_greeting, { company: form.getAttribute("data-company-name") }), ""];
    lines.push(fill(raw.letter_what, { what: value("what") }), "");
    lines.push(fill(raw.letter_ask, { ask: value("ask") }));
    if (value("reference")) lines.push("", fill(raw.letter_reference, { reference: value("reference") }));
    var rule = document.querySelector(".dr-legal[data-legal-deadline][data-article]");
    if (rule) {
      lines.push("", fill(raw.letter_rule, { article: rule.getAttribute("data-article"), label: rule.getAttribute("data-label"),
                                            due: longDate(raw.locale, rule.getAttribute("data-legal-deadline")) }));
    }
    lines.push("", raw.letter_tracking, "", raw.letter_closing);
    return lines.join("\n");
  }

  function setUp(form, raw) {
    var result = form.querySelector(".dr-letter-result"), output = form.querySelector("#dr-letter-text");
    var status = form.querySelector("[data-letter-status]"), mail = form.querySelector("[data-letter-mail]");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = letterText(form, raw);
      output.value = text;
      result.hidden = false;
      if (mail) {
        mail.href = "mailto:" + encodeURIComponent(form.getAttribute("data-email")).replace(/%40/g, "@") +
          "?subject=" + encodeURIComponent(raw.letter_subject) + "&body=" + encodeURIComponent(text);
      }
      output.focus();
    });
    form.querySelector("[data-letter-copy]").addEventListener("click", function () {
      output.select();
      var done = function () { status.textContent = raw.copied; };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(output.value).then(done, function () {});
      else if (document.execCommand && document.execCommand("copy")) done();
    });
  }

  function run() {
    var raw = strings();
    if (!raw) return;
    var forms = document.querySelectorAll("form[data-letter]");
    for (var i = 0; i < forms.length; i++) if (!forms[i].hasAttribute("data-ready")) { forms[i].setAttribute("data-ready", ""); setUp(forms[i], raw); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
