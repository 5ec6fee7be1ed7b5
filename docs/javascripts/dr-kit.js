/* Donde Reclamo: the complaint kit on a company page (issue 23).
 *
 * - the letter: cites the rule of the case the person chose (law and article, from the rule catalogue, written
 *   into the page by generator/site/templates/kit.html) and its last day, "a más tardar el …", worked out at the
 *   visitor's instant with dr-time.js (window.drTime: working days, holidays, months; one rule, one place);
 * - a public post that leaks nothing: findPersonalData() flags DNI/NIE (control letter), IBAN (mod 97), card
 *   numbers (Luhn), phones, e-mails, addresses and customer numbers as the text is typed; the post link stays
 *   aria-disabled until they are removed (or the person deliberately posts anyway);
 * - a reminder: an RFC 5545 .ics file for the deadline day, made in the browser as a Blob URL;
 * - a follow-up: the letter to the escalation body, with the deadline that passed and the time left to escalate;
 * - the law block: "from 28 December 2026" before that instant (00:00 in Madrid), "must" after it.
 * Nothing typed leaves the browser: no request, no storage (no cookies, no localStorage). Files are Blob URLs,
 * "copy" uses the clipboard, "mail" only fills a mailto: link. The words come from the page
 * (window.drStrings, key "kit": javascripts/dr-strings-<lang>.js, render.browser_strings). The detectors are tested from tests/cases/pii.json under Node.
 */
(function () {
  "use strict";

  function fill(template, values) {
    return template.replace(/\{([\w-]+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  function readJson(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try { return JSON.parse(element.textContent); } catch { return null; }
  }

  /* --- personal data ----------------------------------------------------------------------------------- */

  var DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

  function dniOk(digits, letter) { return DNI_LETTERS.charAt(+digits % 23) === letter.toUpperCase(); }

  function ibanOk(raw) {
    var s = raw.replace(/[\s-]/g, "").toUpperCase();
    if (s.length < 15 || s.length > 34) return false;
    var moved = s.slice(4) + s.slice(0, 4), rest = 0;
    for (var i = 0; i < moved.length; i++) {
      var c = moved.charCodeAt(i), v = c >= 65 ? c - 55 : c - 48;
      rest = (rest * (v > 9 ? 100 : 10) + v) % 97;
    }
    return rest === 1;
  }

  function luhnOk(raw) {
    var digits = raw.replace(/\D/g, ""), sum = 0;
    if (digits.length < 13 || digits.length > 19 || /^(\d)\1+$/.test(digits)) return false;
    for (var i = 0; i < digits.length; i++) {
      var d = +digits.charAt(digits.length - 1 - i);
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return sum % 10 === 0;
  }

  var STREET = "calle|c\\/|avda\\.?|avenida|av\\.|plaza|pza\\.?|paseo|p\\.º|camino|carretera|ctra\\.?|ronda|traves[ií]a|glorieta|pasaje|urbanizaci[oó]n|urb\\.|street|road|avenue";
  var NUMBER_AFTER = "cliente|contrato|p[oó]liza|pedido|localizador|expediente|abonado|suministro|incidencia|reserva|customer|contract|policy|order|booking|account|ticket";

  /* Each detector: kind, pattern (global), optional check of the match, optional group holding the datum. */
  var DETECTORS = [
    { kind: "email", re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
    { kind: "iban", re: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{4}){3,7}(?:[ -]?[A-Z0-9]{1,3})?\b/g, ok: function (m) { return ibanOk(m[0]); } },
    { kind: "card", re: /\b\d(?:[ -]?\d){12,18}\b/g, ok: function (m) { return luhnOk(m[0]); } },
    { kind: "nie", re: /\b([XYZxyz])[ -]?(\d{7})[ -]?([A-Za-z])\b/g,
      ok: function (m) { return dniOk("XYZ".indexOf(m[1].toUpperCase()) + m[2], m[3]); } },
    { kind: "dni", re: /\b(\d{2})\.?(\d{3})\.?(\d{3})[ -]?([A-Za-z])\b/g, ok: function (m) { return dniOk(m[1] + m[2] + m[3], m[4]); } },
    { kind: "customer-number", group: 2,
      re: new RegExp("\\b(" + NUMBER_AFTER + ")\\b(?:\\s*(?:n\\.?\\s?[º°o]\\.?|n[úu]m(?:ero|\\.)?|number|no\\.|id|ref(?:erencia|erence|\\.)?|de\\s+cliente))?\\s*[:#.]?\\s*([A-Za-z]{0,4}[-/]?\\d[A-Za-z0-9/-]{3,})", "gi"),
      ok: function (m) { return (m[2].match(/\d/g) || []).length >= 4; } },
    { kind: "phone", re: /(?:(?:\+|\b00)\d{1,3}[ .-]?)?\b[6789](?:[ .-]?\d){8}\b/g },
    { kind: "phone", re: /\+\d{1,3}(?:[ .-]?\d){6,12}\b/g },
    { kind: "postcode-address", re: new RegExp("\\b(?:" + STREET + ")\\s+[A-Za-zÀ-ÿ'ªº. -]{2,40}?,?\\s*(?:n[º°o]\\.?\\s*)?\\d{1,4}[A-Za-z]?\\b", "gi") },
    { kind: "postcode-address", re: /\b(?:c\.\s?p\.|cp|c[oó]digo postal|postcode)\s*:?\s*\d{5}\b/gi },
    { kind: "postcode-address", re: /\b(?:0[1-9]|[1-4]\d|5[0-2])\d{3}\s+(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+/g }
  ];

  /* Every personal datum in `text`, in order: {kind, start, end, text}; a span taken by an earlier detector is
   * not reported again. */
  function findPersonalData(text) {
    var found = [];
    DETECTORS.forEach(function (d) {
      d.re.lastIndex = 0;
      var m;
      while ((m = d.re.exec(text)) !== null) {
        if (m[0] === "") { d.re.lastIndex++; continue; }
        if (d.ok && !d.ok(m)) continue;
        var start = m.index, value = m[0];
        if (d.group) { value = m[d.group]; start = m.index + m[0].lastIndexOf(value); }
        var end = start + value.length;
        var clash = found.some(function (f) { return start < f.end && f.start < end; });
        if (!clash) found.push({ kind: d.kind, start: start, end: end, text: value });
      }
    });
    return found.sort(function (a, b) { return a.start - b.start; });
  }

  /* X's weighted length: most characters count 1, others (CJK, emoji) 2, each link 23. */
  var LINK = /\bhttps?:\/\/\S+|\b(?:[a-z0-9-]+\.)+(?:com|es|org|net|eu|io|gob\.es|info)\b(?:\/\S*)?/gi;
  function xLength(text) {
    var links = text.match(LINK) || [], rest = text.replace(LINK, ""), n = links.length * 23;
    for (var i = 0; i < rest.length; i++) {
      var cp = rest.codePointAt(i);
      if (cp > 0xffff) i++;
      n += (cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247)) ? 1 : 2;
    }
    return n;
  }

  /* --- files --------------------------------------------------------------------------------------------- */

  var urls = {};
  function blobLink(link, slot, content, type, name) {
    if (!link) return;
    if (urls[slot]) URL.revokeObjectURL(urls[slot]);
    urls[slot] = URL.createObjectURL(new Blob([content], { type: type }));
    link.href = urls[slot];
    link.setAttribute("download", name);
    link.hidden = false;
  }

  function icsText(value) { return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n"); }

  /* Lines of at most 75 octets (RFC 5545, 3.1), continued with CRLF and a space. */
  function icsFold(line) {
    var out = "", bytes = 0;
    for (var i = 0; i < line.length; i++) {
      var ch = line.charAt(i), code = line.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) { ch += line.charAt(++i); }
      var size = new TextEncoder().encode(ch).length;
      if (bytes + size > 75) { out += "\r\n "; bytes = 1; }
      out += ch;
      bytes += size;
    }
    return out;
  }

  function ics(due, company, slug, rule, summary, description, page) {
    var next = new Date(Date.parse(due + "T00:00:00Z") + 86400000).toISOString().slice(0, 10);
    var stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + ["-", "", "DondeReclamo", "", "kit", "", "ES"].join("/"), "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH", "BEGIN:VEVENT", "UID:" + due + "-" + slug + "-" + rule + "@donde-reclamo", "DTSTAMP:" + stamp,
      "DTSTART;VALUE=DATE:" + due.replace(/-/g, ""), "DTEND;VALUE=DATE:" + next.replace(/-/g, ""),
      "SUMMARY:" + icsText(summary), "DESCRIPTION:" + icsText(description), "URL:" + page,
      "TRANSP:TRANSPARENT", "END:VEVENT", "END:VCALENDAR"];
    return lines.map(icsFold).join("\r\n") + "\r\n";
  }

  function copy(text, status, words) {
    var done = function () { status.textContent = words.copied; };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, function () {});
  }

  function pageUrl() { return location.href.split("#")[0]; }

  /* --- the letter ------------------------------------------------------------------------------------------ */

  function calendarData() {
    var data = readJson("dr-deadlines");
    if (!data) return null;
    var holidays = {};
    (data.holidays || []).forEach(function (d) { holidays[d] = true; });
    return { tz: data.tz, holidays: holidays };
  }

  function todayThere(cal) {
    return window.drTime.localDay(cal ? cal.tz : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC", Date.now());
  }

  /* The chosen case: its period and citation, and its last day for a complaint filed on `filed`. */
  function chosenCase(form, cal, filed) {
    var input = form.querySelector("input[name=case]:checked") || form.querySelector("input[type=hidden][name=case]");
    if (!input) return null;
    var unit = input.getAttribute("data-unit"), amount = +input.getAttribute("data-amount");
    return { key: input.value, unit: unit, period: input.getAttribute("data-period"), cited: input.getAttribute("data-cited"),
             url: input.getAttribute("data-cited-url"),
             due: cal && unit !== "hours" ? window.drTime.legalDue(unit, amount, filed, cal.holidays) : null };
  }

  function letterText(form, raw, k, chosen, filed) {
    var value = function (name) { return form.elements[name] ? form.elements[name].value.trim() : ""; };
    var lines = [value("name") || k.blank, fill(k.letter_sender_id, { value: value("id_number") || k.blank }),
                 value("address") || k.blank, "", fill(k.letter_to, { company: form.closest("[data-kit]").getAttribute("data-company-name") })];
    var kit = form.closest("[data-kit]");
    if (kit.getAttribute("data-email")) lines.push(kit.getAttribute("data-email"));
    lines.push("", fill(k.letter_place_date, { place: value("place") || k.blank, date: window.drTime.longDate(raw, filed) }), "",
               k.letter_subject, "", k.letter_greeting, "", k.letter_what, value("what"), "", k.letter_ask, value("ask"));
    if (value("reference")) lines.push("", fill(k.letter_reference, { reference: value("reference") }));
    if (chosen) {
      lines.push("", chosen.due
        ? fill(k.letter_rule, { period: chosen.period, cited: chosen.cited, url: chosen.url, due: window.drTime.longDate(raw, chosen.due) })
        : fill(k.letter_rule_hours, { period: chosen.period, cited: chosen.cited, url: chosen.url }));
    }
    lines.push("", k.letter_tracking, "", k.letter_closing, "", "", k.letter_signature + " " + k.blank, value("name"));
    return lines.join("\n").replace(/\n+$/, "") + "\n";
  }

  function setUpLetter(kit, form, raw, k) {
    var result = form.querySelector(".dr-letter-result"), output = form.querySelector("#dr-letter-text");
    var status = form.querySelector("[data-letter-status]"), mail = form.querySelector("[data-letter-mail]");
    var printCopy = kit.querySelector("[data-letter-print-copy]"), template = kit.querySelector("[data-letter-template]");
    var slug = kit.getAttribute("data-company"), name = kit.getAttribute("data-company-name");
    var cal = calendarData();
    if (form.elements.date && !form.elements.date.value) form.elements.date.value = todayThere(cal);
    form.hidden = false;
    if (template) { template.hidden = true; template.classList.remove("dr-print"); }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var filed = (form.elements.date && form.elements.date.value) || todayThere(cal);
      var chosen = chosenCase(form, cal, filed);
      var text = letterText(form, raw, k, chosen, filed);
      output.value = text;
      printCopy.textContent = text;
      printCopy.classList.add("dr-print");
      result.hidden = false;
      status.textContent = "";
      blobLink(form.querySelector("[data-letter-download]"), "letter", text, "text/plain;charset=utf-8", fill(k.file_letter, { company: slug }));
      var icsLink = form.querySelector("[data-kit-ics]");
      if (icsLink) {
        if (chosen && chosen.due) {
          blobLink(icsLink, "ics", ics(chosen.due, name, slug, chosen.key, fill(k.ics_summary, { company: name }),
                                       fill(k.ics_description, { cited: chosen.cited, url: pageUrl() }), pageUrl()),
                   "text/calendar;charset=utf-8", fill(k.file_ics, { company: slug }));
          icsLink.setAttribute("data-due", chosen.due);
        } else icsLink.hidden = true;
      }
      if (mail) {
        mail.href = "mailto:" + encodeURIComponent(kit.getAttribute("data-email")).replace(/%40/g, "@") +
          "?subject=" + encodeURIComponent(k.letter_subject) + "&body=" + encodeURIComponent(text);
      }
      output.focus();
    });
    form.querySelector("[data-letter-copy]").addEventListener("click", function () { output.select(); copy(output.value, status, k); });
    form.querySelector("[data-letter-print]").addEventListener("click", function () { window.print(); });
  }

  /* --- the public post --------------------------------------------------------------------------------- */

  function setUpComposer(box, k) {
    var area = box.querySelector("[data-compose]"), list = box.querySelector("[data-pii]");
    var summary = box.querySelector("[data-pii-summary]"), count = box.querySelector("[data-compose-count]");
    var post = box.querySelector("[data-compose-post]"), why = box.querySelector("[data-compose-why]");
    var anyway = box.querySelector("[data-compose-anyway]"), select = box.querySelector("[data-compose-network]");
    var override = false, shown = "";
    box.hidden = false;

    function network() {
      var option = select.options[select.selectedIndex];
      return { type: option.getAttribute("data-network"), address: option.getAttribute("data-address"),
               href: option.getAttribute("data-href"), share: option.getAttribute("data-share"),
               name: option.textContent.split(" · ")[0] };
    }

    function shareUrl(net, text) {
      if (net.share) {  // the network's own share page (kit.py SHARE_PAGES), with the handle and the text
        var handle = /^@/.test(net.address) ? net.address + " " : "";
        return net.share + encodeURIComponent(handle + text);
      }
      return net.href;
    }

    function update() {
      var text = area.value, finds = findPersonalData(text), net = network();
      var key = JSON.stringify(finds.map(function (f) { return [f.kind, f.start, f.text]; }));
      if (key !== shown) {
        shown = key;
        while (list.firstChild) list.removeChild(list.firstChild);
        finds.forEach(function (f) {
          var item = document.createElement("li"), label = document.createElement("span"), button = document.createElement("button");
          item.setAttribute("data-kind", f.kind);
          label.textContent = k.kinds[f.kind] + ": " + f.text;
          button.type = "button";
          button.classList.add("dr-button", "dr-button--quiet");
          button.textContent = k.remove;
          button.setAttribute("aria-label", fill(k.remove_label, { kind: k.kinds[f.kind] + " " + f.text }));
          button.addEventListener("click", function () {
            var now = findPersonalData(area.value).filter(function (g) { return g.kind === f.kind && g.text === f.text; })[0];
            if (!now) return;
            area.value = area.value.slice(0, now.start) + k.mask + area.value.slice(now.end);
            override = false;
            update();
            var next = list.querySelector("button");
            (next || area).focus();
          });
          item.appendChild(label);
          item.appendChild(document.createTextNode(" "));
          item.appendChild(button);
          list.appendChild(item);
        });
        summary.textContent = text.trim() === "" ? "" : finds.length === 1 ? k.found_one : finds.length ? fill(k.found, { count: finds.length }) : k.none_found;
      }
      if (net.type === "x") {
        var used = xLength(text);
        count.textContent = used > 280 ? fill(k.count_over, { over: used - 280 }) : fill(k.count_x, { used: used });
      } else count.textContent = fill(k.count_other, { used: Array.from(text).length });
      post.textContent = fill(k.post, { network: net.name });
      var blocked = text.trim() === "" || (finds.length > 0 && !override);
      var url = blocked ? null : shareUrl(net, text);
      post.setAttribute("aria-disabled", blocked || !url ? "true" : "false");
      if (url) post.href = url; else post.removeAttribute("href");
      anyway.hidden = !(finds.length > 0 && !override);
      why.textContent = finds.length > 0 && !override ? k.post_blocked
        : blocked ? "" : net.share ? fill(k.post_ready, { network: net.name }) : fill(k.post_copy_first, { network: net.name });
    }

    area.addEventListener("input", function () { override = false; update(); });
    select.addEventListener("change", update);
    anyway.addEventListener("click", function () { override = true; update(); post.focus(); });
    post.addEventListener("click", function (event) {
      if (post.getAttribute("aria-disabled") === "true") { event.preventDefault(); area.focus(); return; }
      if (!network().share && navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(area.value).catch(function () {});
    });
    post.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && post.getAttribute("aria-disabled") === "true") event.preventDefault();
    });
    update();
  }

  /* --- the follow-up -------------------------------------------------------------------------------------- */

  function setUpFollowup(kit, form, raw, k) {
    var letter = kit.querySelector("form[data-letter]"), cal = calendarData();
    var result = form.querySelector(".dr-followup-result"), output = form.querySelector("#dr-followup-text");
    var status = form.querySelector("[data-followup-status]");
    var name = kit.getAttribute("data-company-name"), slug = kit.getAttribute("data-company");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var filed = form.elements.filed.value || todayThere(cal), today = todayThere(cal);
      var chosen = chosenCase(letter, cal, filed), option = form.elements.body.options[form.elements.body.selectedIndex];
      var value = function (field) { return letter.elements[field] ? letter.elements[field].value.trim() : ""; };
      var code = form.elements.code.value.trim(), long = function (iso) { return window.drTime.longDate(raw, iso); };
      var lines = [value("name") || k.blank, fill(k.letter_sender_id, { value: value("id_number") || k.blank }), value("address") || k.blank, "",
                   fill(k.followup_to, { body: option.getAttribute("data-name") }), "",
                   fill(k.letter_place_date, { place: value("place") || k.blank, date: long(today) }), "",
                   fill(k.followup_subject, { company: name }), "", k.letter_greeting, "",
                   fill(k.followup_intro, { filed: long(filed), company: name, code: code ? fill(k.followup_code, { code: code }) : "" })];
      if (chosen) {
        var due = chosen.due ? long(chosen.due) : chosen.period;
        var outcome = form.querySelector("input[name=outcome]:checked").value;
        lines.push(fill(outcome === "bad" ? k.followup_bad : k.followup_silence, { period: chosen.period, cited: chosen.cited, due: due }));
        var unit = option.getAttribute("data-limit-unit");
        if (unit && cal) {
          var from = option.getAttribute("data-limit-from") === "complaint" || !chosen.due ? filed : chosen.due;
          var limit = window.drTime.legalDue(unit, +option.getAttribute("data-limit-amount"), from, cal.holidays);
          lines.push("", fill(k.followup_limit, { limit: long(limit) }));
          form.setAttribute("data-limit", limit);
        } else form.removeAttribute("data-limit");
        if (chosen.due) form.setAttribute("data-due", chosen.due);
      }
      lines.push("", k.followup_attach, "", k.followup_ask, "", k.letter_closing, "", "", k.letter_signature + " " + k.blank, value("name"),
                 "", "—", fill(k.followup_before, { before: option.getAttribute("data-before") }),
                 fill(k.followup_where, { where: option.getAttribute("data-where") }));
      var text = lines.join("\n") + "\n";
      output.value = text;
      result.hidden = false;
      status.textContent = "";
      blobLink(form.querySelector("[data-followup-download]"), "followup", text, "text/plain;charset=utf-8", fill(k.file_followup, { company: slug }));
      output.focus();
    });
    form.querySelector("[data-followup-copy]").addEventListener("click", function () { output.select(); copy(output.value, status, k); });
  }

  /* --- the law block ------------------------------------------------------------------------------------- */

  function updateLaw() {
    var blocks = document.querySelectorAll("[data-law][data-law-from]");
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i], inForce = Date.now() >= Date.parse(block.getAttribute("data-law-from"));
      var state = inForce ? "after" : "before";
      block.setAttribute("data-law-state", inForce ? "in-force" : "upcoming");
      var when = block.querySelector("[data-law-when]"), breach = block.querySelector("[data-law-breach] span");
      var text = when.getAttribute("data-" + state);
      if (when.textContent !== text) when.textContent = text;
      if (breach) {
        var b = block.querySelector("[data-law-breach]").getAttribute("data-" + state);
        if (breach.textContent !== b) breach.textContent = b;
      }
    }
  }

  var timer = null;
  function run() {
    updateLaw();
    if (timer === null) timer = setInterval(updateLaw, 60000);
    var raw = window.drStrings;
    if (!raw || !raw.kit || !window.drTime) return;
    var kits = document.querySelectorAll("[data-kit]:not([data-ready])");
    for (var i = 0; i < kits.length; i++) {
      var kit = kits[i];
      kit.setAttribute("data-ready", "");
      var letter = kit.querySelector("form[data-letter]"), composer = kit.querySelector("[data-composer]");
      var followup = kit.querySelector("form[data-followup]");
      if (letter) setUpLetter(kit, letter, raw, raw.kit);
      if (composer) setUpComposer(composer, raw.kit);
      if (followup && letter) setUpFollowup(kit, followup, raw, raw.kit);
    }
  }

  window.drKit = { findPersonalData: findPersonalData, xLength: xLength, ibanOk: ibanOk, luhnOk: luhnOk };
  if (typeof document === "undefined") return;
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
