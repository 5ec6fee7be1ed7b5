/* Donde Reclamo: live "open now" and "reply by" for channel cards.
 *
 * The generator (generator/site/schedule.py) computed each distinct channel timing
 * (open intervals for the next 400 days, public holidays applied) once, and
 * published each as a shared file, horarios/<key>.json; a card names its key
 * in data-timing and the page's data-timings says where the files are.  This
 * script repeats schedule.is_open / next_change / reply_by with Date.now(); the
 * two must agree to the millisecond, so the rules below mirror the Python ones:
 *   minutes/hours  staffed time (continuous when the hours are unknown)
 *   days           N x 24 real hours
 *   working_days   end (local midnight) of the N-th Mon-Fri non-holiday after the day sent
 *   months         same local wall time N months later, day clamped to the month's end
 * Wall time -> instant uses Python's fold=0: an ambiguous time is its first
 * occurrence, a time skipped by DST uses the offset before the change.
 * Without JavaScript the page still shows the weekly hours.
 */
(function () {
  "use strict";

  var MINUTE = 60000;
  var DAY = 86400000;

  /* The page's words come from the generator's catalogue (generator/site/i18n/<lang>.yaml, key "browser"),
   * in window.drStrings (javascripts/dr-strings-<lang>.js, one file per language); "{name}" placeholders are filled here. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }
  function oneOClock(time) { return /^1:/.test(time); }
  function words(raw) {
    return {
      locale: raw.locale, open: raw.open, closed: raw.closed, today: raw.today, tomorrow: raw.tomorrow, cities: raw.cities || {},
      opens: function (when) { return fill(raw.opens, { when: when }); },
      on: function (day) { return fill(raw.on_day, { day: day }); },
      at: function (time) { return fill(oneOClock(time) ? raw.at_one : raw.at, { time: time }); },
      replyToday: function (time) { return fill(oneOClock(time) ? raw.reply_today_one : raw.reply_today, { time: time }); },
      reply: function (day, time) { return fill(oneOClock(time) ? raw.reply_one : raw.reply, { day: day, time: time }); },
      zone: function (city, when) { return fill(raw.zone, { city: city, when: when }); },
      date: function (weekday, day, month, year) {
        var values = { weekday: weekday, day: day, month: month, year: year };
        return fill(year ? raw.date_year : month ? raw.date_month : raw.date, values);
      }
    };
  }

  /* Write only what changed: live regions would otherwise read every card out again each minute. */
  function setText(element, text) { if (element && element.textContent !== text) element.textContent = text; }

  function readJson(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try { return JSON.parse(element.textContent); } catch { return null; }
  }

  var formats = {};
  function fmt(locale, tz, options) {
    var key = locale + "|" + tz + "|" + JSON.stringify(options);
    if (!formats[key]) {
      var o = { timeZone: tz };
      for (var k in options) o[k] = options[k];
      formats[key] = new Intl.DateTimeFormat(locale, o);
    }
    return formats[key];
  }

  /* --- time zone arithmetic ------------------------------------------------ */

  var PARTS = { year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" };

  /* UTC offset of tz at instant t, in ms (wall time minus UTC). */
  function offset(tz, t) {
    var p = {};
    fmt("en-US", tz, PARTS).formatToParts(new Date(t)).forEach(function (part) { p[part.type] = part.value; });
    var wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return wall - (t - (((t % 1000) + 1000) % 1000));
  }

  /* Wall time of instant t in tz, as a Date whose UTC fields read the wall clock. */
  function wall(tz, t) { return new Date(t + offset(tz, t)); }

  /* Instant of a wall time (ms, UTC fields = wall clock) in tz, with Python's fold=0. */
  function toInstant(tz, w) {
    var before = offset(tz, w - DAY), after = offset(tz, w + DAY);
    if (before === after) return w - before;
    if (offset(tz, w - before) === before) return w - before;
    if (offset(tz, w - after) === after) return w - after;
    return w - before; // skipped by the DST change: offset before it
  }

  function isoDate(d) { return d.toISOString().slice(0, 10); }

  /* --- the rules (mirror generator/site/schedule.py) ---------------------------- */

  function decode(timing) {
    if (timing.open === null || timing.open === undefined) return null;
    var minute = timing.base, bounds = [];
    for (var i = 0; i < timing.open.length; i++) { minute += timing.open[i]; bounds.push(minute * MINUTE); }
    return bounds;
  }

  /* Index of the first boundary strictly after t. */
  function after(bounds, t) {
    var lo = 0, hi = bounds.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (bounds[mid] <= t) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function isOpen(bounds, t) { return bounds === null ? null : after(bounds, t) % 2 === 1; }

  /* Whether t lies in the horizon the timing was computed for (schedule.Timing.knows): past it the page is out
   * of date, and nothing can be said (not "closed"). */
  function knows(timing, t) {
    return !(typeof timing.from === "number" && t < timing.from * MINUTE) && !(typeof timing.until === "number" && t >= timing.until * MINUTE);
  }

  function nextChange(bounds, t) {
    if (bounds === null) return null;
    var i = after(bounds, t);
    return i < bounds.length ? bounds[i] : null;
  }

  function staffed(bounds, t, needed) {
    for (var i = 0; i + 1 < bounds.length; i += 2) {
      var a = bounds[i], b = bounds[i + 1];
      if (b <= t) continue;
      var begin = Math.max(a, t);
      if (needed <= b - begin) return begin + needed;
      needed -= b - begin;
    }
    return null;
  }

  /* Calendar days are UTC midnights in ms.  The n-th Monday-Friday after `day` not in `holidays` ({YYYY-MM-DD: true}). */
  function nthWorkingDay(day, n, holidays) {
    while (n > 0) {
      day += DAY;
      var wd = new Date(day).getUTCDay();
      if (wd !== 0 && wd !== 6 && !holidays[isoDate(new Date(day))]) n--;
    }
    return day;
  }

  /* The same day n months later, clamped to the month's end (schedule.add_months). */
  function addMonths(day, n) {
    var d = new Date(day), index = d.getUTCFullYear() * 12 + d.getUTCMonth() + n;
    var year = Math.floor(index / 12), month = index % 12;
    var last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    var out = new Date(0);
    out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), last));
    return out.getTime();
  }

  /* A public holiday (the channel's local date) that its hours say nothing about ("Mo-Fr 08:00-20:00"): "open"
   * would be more than the source says (schedule.holiday_in_doubt). */
  function holidayDoubt(timing, t) {
    return timing.ph === false && (timing.holidays || []).indexOf(dayKey(timing.tz, t)) >= 0;
  }

  function openAt(timing, bounds, t) {
    if (!knows(timing, t)) return null;
    var open = isOpen(bounds, t);
    return open === true && holidayDoubt(timing, t) ? null : open;
  }

  function replyBy(timing, bounds, t) {
    var r = timing.response;
    if (!r || !knows(timing, t)) return null;
    var n = r.amount, tz = timing.tz;
    if (r.unit === "minutes" || r.unit === "hours") {
      var needed = n * (r.unit === "minutes" ? MINUTE : 60 * MINUTE);
      return bounds === null ? t + needed : staffed(bounds, t, needed);
    }
    if (r.unit === "days") return t + n * DAY;
    var w = wall(tz, t), today = Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate());
    if (r.unit === "working_days") {
      var holidays = {};
      (timing.holidays || []).forEach(function (d) { holidays[d] = true; });
      return toInstant(tz, nthWorkingDay(today, n, holidays) + DAY);
    }
    if (r.unit === "months") return toInstant(tz, addMonths(today, n) + (w.getTime() - today));
    return null;
  }

  /* --- words ---------------------------------------------------------------- */

  function dayKey(tz, t) { return fmt("en-CA", tz, { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(t)); }
  function daysBetween(a, b) { return Math.round((Date.parse(b) - Date.parse(a)) / DAY); }
  function time(text, tz, t) { return fmt(text.locale, tz, { hour: "numeric", minute: "2-digit", hourCycle: "h23" }).format(new Date(t)); }
  function weekday(text, tz, t) { return fmt(text.locale, tz, { weekday: "long" }).format(new Date(t)); }

  /* "lunes 28", "lunes 28 de diciembre" in another month, "... de 2027" in another year. */
  function dateLabel(text, tz, t, now) {
    var k = dayKey(tz, t), n = dayKey(tz, now), d = new Date(t);
    var part = function (options) { return fmt(text.locale, tz, options).format(d); };
    return text.date(part({ weekday: "long" }), part({ day: "numeric" }),
                     k.slice(0, 7) !== n.slice(0, 7) ? part({ month: "long" }) : "",
                     k.slice(0, 4) !== n.slice(0, 4) ? part({ year: "numeric" }) : "");
  }

  function cityOf(text, tz) { return text.cities[tz] || tz.split("/").pop().replace(/_/g, " "); }

  function openText(text, visitor, isOpenNow, change, now) {
    if (isOpenNow) return text.open;
    if (change === null) return text.closed;
    var gap = daysBetween(dayKey(visitor, now), dayKey(visitor, change)), when;
    if (gap === 0) when = text.today;
    else if (gap === 1) when = text.tomorrow;
    else if (gap < 7) when = text.on(weekday(text, visitor, change));
    else when = text.on(dateLabel(text, visitor, change, now));
    return text.opens(when + " " + text.at(time(text, visitor, change)));
  }

  function replyText(text, visitor, tz, due, now) {
    var at = time(text, visitor, due);
    var sameDay = dayKey(visitor, due) === dayKey(visitor, now);
    var out = sameDay ? text.replyToday(at) : text.reply(dateLabel(text, visitor, due, now), at);
    var theirs = time(text, tz, due);
    if (dayKey(tz, due) !== dayKey(visitor, due)) theirs = dateLabel(text, tz, due, now) + ", " + theirs;
    if (dayKey(tz, due) !== dayKey(visitor, due) || theirs !== at) out += text.zone(cityOf(text, tz), theirs);
    return out;
  }

  /* --- the page ------------------------------------------------------------- */

  /* --- legal deadlines for a complaint filed now (mirror generator/site/deadlines.py) --- */

  function civil(iso) { return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)); }

  /* Last day to answer a complaint filed on the local date `filed` (YYYY-MM-DD). */
  function legalDue(unit, amount, filed, holidays) {
    var day = civil(filed);
    if (unit === "days") return isoDate(new Date(day + amount * DAY));
    if (unit === "months") return isoDate(new Date(addMonths(day, amount)));
    if (unit === "working_days") return isoDate(new Date(nthWorkingDay(day, amount, holidays)));
    return null;
  }

  function longDate(text, iso) {
    var d = new Date(civil(iso));
    var part = function (options) { return fmt(text.locale, "UTC", options).format(d); };
    return text.date(part({ weekday: "long" }), part({ day: "numeric" }), part({ month: "long" }), part({ year: "numeric" }));
  }

  function updateDeadlines(raw, text, now) {
    var data = readJson("dr-deadlines");
    if (!data) return;
    var holidays = {};
    (data.holidays || []).forEach(function (d) { holidays[d] = true; });
    var filed = dayKey(data.tz, now);
    var rules = document.querySelectorAll(".dr-legal[data-unit]");
    for (var i = 0; i < rules.length; i++) {
      var el = rules[i], due = legalDue(el.getAttribute("data-unit"), +el.getAttribute("data-amount"), filed, holidays);
      if (due === null) continue;
      el.setAttribute("data-legal-deadline", due);
      var shown = el.querySelector(".dr-legal-date");
      setText(shown, fill(raw.legal_today, { filed: longDate(text, filed), due: longDate(text, due) }));
    }
  }

  /* The timings the page's cards use, fetched once (the browser caches them across pages);
   * a timing that cannot be fetched leaves its card as the generator wrote it. */
  var timings = null;
  function loadTimings() {
    var holder = document.querySelector("[data-timings]");
    if (!holder || !window.fetch) return Promise.resolve({});
    var base = holder.getAttribute("data-timings"), keys = {}, found = {};
    var cards = document.querySelectorAll("[data-channel][data-timing]");
    for (var i = 0; i < cards.length; i++) keys[cards[i].getAttribute("data-timing")] = true;
    return Promise.all(Object.keys(keys).map(function (key) {
      return fetch(base + encodeURIComponent(key) + ".json")
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (timing) { if (timing) found[key] = timing; }, function () {});
    })).then(function () { return found; });
  }

  function update(now) {
    var raw = window.drStrings;
    if (!raw) return;
    var text = words(raw);
    updateDeadlines(raw, text, now);
    if (!timings) return;
    var visitor = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    var cards = document.querySelectorAll("[data-channel][data-timing]");
    for (var i = 0; i < cards.length; i++) {
      var card = cards[i], timing = timings[card.getAttribute("data-timing")];
      if (!timing) continue;
      var known = knows(timing, now), bounds = decode(timing);
      var open = openAt(timing, bounds, now), due = replyBy(timing, bounds, now);
      var doubt = known && open === null && bounds !== null;
      var openEl = card.querySelector(".dr-open-state"), replyEl = card.querySelector(".dr-reply-by");
      if (known) card.removeAttribute("data-stale");
      else {
        card.setAttribute("data-stale", "true");
        setText(openEl, raw.stale);
        setText(replyEl, "");
      }
      if (doubt) {
        card.setAttribute("data-holiday", "true");
        setText(openEl, raw.holiday_doubt);
      } else card.removeAttribute("data-holiday");
      if (open === null) card.removeAttribute("data-open");
      else {
        card.setAttribute("data-open", open ? "true" : "false");
        setText(openEl, openText(text, visitor, open, nextChange(bounds, now), now));
      }
      if (due === null) card.removeAttribute("data-reply-by");
      else {
        card.setAttribute("data-reply-by", new Date(due).toISOString());
        setText(replyEl, replyText(text, visitor, timing.tz, due, now));
      }
    }
  }

  /* The order the consumer sees (derive.live_order): the server's tier first (what the channel is for, its cost,
   * post last: data-tier), then open now before the rest, then the earliest reply-by, then the server's order. */
  function ranked(list) {
    var cards = [];
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) if (c.hasAttribute("data-channel")) cards.push(c);
    return cards.map(function (card, index) {
      var due = card.getAttribute("data-reply-by"), rank = card.getAttribute("data-rank");
      return { card: card, index: index, tier: +(card.getAttribute("data-tier") || 0),
               open: card.getAttribute("data-open") === "true" ? 0 : 1, due: due ? Date.parse(due) : Infinity,
               rank: rank === null ? index : +rank };
    }).sort(function (a, b) { return a.tier - b.tier || a.open - b.open || a.due - b.due || a.rank - b.rank; });
  }

  /* Put the cards in that order once, when the page is shown (not every minute, under the visitor's finger). */
  function rank() {
    var lists = document.querySelectorAll("[data-channel-list]");
    for (var i = 0; i < lists.length; i++) {
      var list = lists[i], sorted = ranked(list);
      if (sorted.every(function (s, k) { return s.index === k; })) continue;
      var cards = sorted.slice().sort(function (a, b) { return a.index - b.index; }).map(function (s) { return s.card; });
      var slots = cards.map(function (card) { var slot = document.createComment(""); list.insertBefore(slot, card); return slot; });
      cards.forEach(function (card) { list.removeChild(card); });
      slots.forEach(function (slot, k) { list.replaceChild(sorted[k].card, slot); });
    }
  }

  function clean(text) { return (text || "").replace(/\s+/g, " ").trim(); }
  function sentence(text) { text = clean(text); return !text || /[.!?]$/.test(text) ? text : text + "."; }
  function costOf(card) {
    var cost = card.querySelector(".dr-cost");  // a premium number's first says its cost in bold, then warns
    if (cost && cost.firstElementChild) cost = cost.firstElementChild;
    return sentence(cost ? cost.textContent : "");
  }
  function copyLink(card, slot) {
    var link = card.querySelector(".dr-address");
    while (slot.firstChild) slot.removeChild(slot.firstChild);
    if (link) for (var n = link.firstChild; n; n = n.nextSibling) slot.appendChild(n.cloneNode(true));
  }
  function typeOf(card) { var h = card.querySelector("h3"); return clean(h ? h.textContent : ""); }

  /* "Best way now": the first card in that order, said with the facts of that channel only: open now, closed until
   * when, or hours unknown; its cost; its stated reply time, else the legal maximum.  When it is not open, the
   * best channel open now follows (never a premium number, post or a desk while a direct channel at no more than
   * the ordinary rate exists). */
  function best(raw) {
    var box = document.querySelector("[data-best]"), list = document.querySelector("[data-channel-list]");
    if (!box || !list || !raw) return;
    var sorted = ranked(list);
    if (!sorted.length) return;
    var top = sorted[0], card = top.card, openAttr = card.getAttribute("data-open");
    var state = openAttr === "true" ? "open" : openAttr === "false" ? "closed" : "unknown";
    setText(box.querySelector("[data-best-type]"), typeOf(card));
    if (box.getAttribute("data-best") !== card.getAttribute("data-channel")) copyLink(card, box.querySelector("[data-best-link]"));
    var when = card.getAttribute("data-stale") ? raw.stale : card.getAttribute("data-holiday") ? raw.holiday_doubt
      : state === "unknown" ? raw.hours_unknown : card.querySelector(".dr-open-state").textContent;
    setText(box.querySelector("[data-best-when]"), sentence(when));
    setText(box.querySelector("[data-best-cost]"), costOf(card));
    var label = box.getAttribute("data-legal-label");
    var reply = card.hasAttribute("data-stated-minutes") ? card.querySelector(".dr-response").textContent
      : label ? fill(raw.legal_max, { label: label }) : raw.reply_unknown;
    setText(box.querySelector("[data-best-reply]"), sentence(reply));
    var old = card.querySelector(".dr-source .dr-old");  // a source over two years old: said in the box too
    setText(box.querySelector("[data-best-old]"), old ? old.textContent : "");
    var alt = null;
    if (state !== "open") {
      for (var i = 1; i < sorted.length && !alt; i++) {
        if (sorted[i].open === 0 && (sorted[i].tier <= 1 || top.tier > 1)) alt = sorted[i].card;
      }
    }
    var altBox = box.querySelector("[data-best-alt]");
    if (altBox) {
      var altKey = alt ? alt.getAttribute("data-channel") : "";
      if (altBox.getAttribute("data-alt") !== altKey) {
        while (altBox.firstChild) altBox.removeChild(altBox.firstChild);
        if (alt) {
          altBox.appendChild(document.createTextNode(raw.open_alt + " "));
          var name = document.createElement("strong");
          name.textContent = typeOf(alt);
          altBox.appendChild(name);
          altBox.appendChild(document.createTextNode(" "));
          var slot = document.createElement("span");
          copyLink(alt, slot);
          altBox.appendChild(slot);
          altBox.appendChild(document.createTextNode(" " + costOf(alt)));
        }
        altBox.setAttribute("data-alt", altKey);
      }
      altBox.hidden = !alt;
    }
    box.setAttribute("data-best", card.getAttribute("data-channel"));
    box.setAttribute("data-best-state", state);
    box.setAttribute("data-best-live", "");  // the script has spoken (the state may still be "unknown")
  }

  var timer = null, generation = 0;
  function run() {
    var mine = ++generation;  // a newer run (another page shown in place) wins over a slower fetch
    timings = null;
    update(Date.now());  // the legal deadline needs no timing
    if (timer !== null) clearInterval(timer);
    timer = null;
    loadTimings().then(function (found) {
      if (mine !== generation) return;
      timings = found;
      update(Date.now());
      rank();
      best(window.drStrings);
      if (timer === null) timer = setInterval(function () { update(Date.now()); best(window.drStrings); }, MINUTE);
    });
  }

  /* Shared with dr-kit.js (the complaint letter, its calendar file and the follow-up): one rule, one place. */
  window.drTime = { run: run, replyBy: function (timing, t) { return replyBy(timing, decode(timing), t); },
                    isOpen: function (timing, t) { return openAt(timing, decode(timing), t); },
                    legalDue: legalDue, addMonths: function (iso, n) { return isoDate(new Date(addMonths(civil(iso), n))); },
                    localDay: dayKey, longDate: function (raw, iso) { return longDate(words(raw), iso); } };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
