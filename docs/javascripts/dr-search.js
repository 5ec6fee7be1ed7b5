/* Donde Reclamo: one search, on every page.
 *
 * The header search (Material's field, on every page) and the home page's company search both answer from the
 * index generator/site/search.py wrote under search/companies/:
 *   meta.json       shard sizes, the version, and the address rules' tables (generator/data/addresses.py)
 *   words-<lang>.json  the words and links of a language (the home page carries its own in #dr-search-data)
 *   n-<key>.json    companies with a word starting with those two letters: [id, name, sector, channel mask, alias…]
 *   t-<key>.json    the same rows by other letter pairs, read only to find a typo in a word's first two letters
 *   s-<sector>.json a sector's first companies, for a need query ("luz" → energy)
 *   a-<i>.json, l-<key>.json  the account check's shards (docs/javascripts/dr-check.js)
 *   guides-<lang>.json  the language's hand-written pages by section (no code, no field reference)
 * Nothing is fetched until the visitor types, and then only what the query needs.  A company name comes first,
 * then the sectors a need query names, then pages.  Without JavaScript the home form is a plain GET form to the
 * A-Z index.
 */
(function () {
  "use strict";

  var SHOWN = 10;
  var HEADER_SHOWN = 6;
  var PAGES_SHOWN = 5;
  var HEAVY_WAIT = 300; // ms of no typing before a shard most names share is fetched
  var check = window.drCheck;
  var SCRIPT = document.currentScript ? document.currentScript.src : "";

  var WORD = /[\p{L}\p{N}]+/gu;
  var fold = check.fold;
  function words(text) { return fold(text).match(WORD) || []; }
  function shardLetter(ch) { return (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") ? ch : "_"; }
  function shardKey(word) { return Array.from(word).slice(0, 2).map(shardLetter).join(""); }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  /* --- matching --------------------------------------------------------------- */

  /* True when a and b are at most one edit apart: a letter changed, added, removed, or two neighbours swapped. */
  function oneEdit(a, b) {
    var la = a.length, lb = b.length, i = 0;
    if (Math.abs(la - lb) > 1) return false;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (i === la && i === lb) return true;
    if (la === lb) {
      return a.slice(i + 1) === b.slice(i + 1) ||
        (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* One typo away from the word or from its beginning ("telefonca" ~ "telefonica", "vodafno" ~ "vodafone"). */
  function nearPrefix(q, w) {
    for (var k = q.length - 1; k <= q.length + 1; k++) if (k >= 1 && k <= w.length && oneEdit(q, w.slice(0, k))) return true;
    return false;
  }

  var prepared = {};
  function prepare(row) {
    var done = prepared[row[0]];
    if (done) return done;
    var texts = [row[1]].concat(row.slice(4));
    done = { row: row, sort: fold(row[1]), strings: texts.map(function (text, i) {
      var w = words(text);
      return { text: text, alias: i > 0, words: w, joined: w.join(" "), compact: w.join("") };
    }) };
    prepared[row[0]] = done;
    return done;
  }

  /* How well one name or alias matches: [tier, alias, cost, position, words] (lower is better), or null.
   * Tier 0: the whole name or alias; 1: every query word starts a word; 2: with one typo in a long word. */
  function score(query, s, typoMin) {
    if (query.joined === s.joined) return [0, s.alias ? 1 : 0, 0, 0, s.words.length];
    var cost = 0, typo = false, position = 0;
    for (var i = 0; i < query.words.length; i++) {
      var q = query.words[i], best = -1, at = 0;
      for (var j = 0; j < s.words.length && best !== 0; j++) {
        var w = s.words[j], c = w === q ? 0 : w.lastIndexOf(q, 0) === 0 ? 1 : q.length >= typoMin && nearPrefix(q, w) ? 3 : -1;
        if (c >= 0 && (best < 0 || c < best)) { best = c; at = j; }
      }
      if (best < 0) {
        // "hm" for "H&M", "easy jet" for "easyJet": the words run together
        if (query.compact.length >= 2 && s.compact.lastIndexOf(query.compact, 0) === 0) return [1, s.alias ? 1 : 0, query.words.length, 0, s.words.length];
        return null;
      }
      cost += best;
      typo = typo || best === 3;
      if (i === 0) position = at;
    }
    return [typo ? 2 : 1, s.alias ? 1 : 0, cost, position, s.words.length];
  }

  function compare(a, b) {
    for (var i = 0; i < a.score.length; i++) if (a.score[i] !== b.score[i]) return a.score[i] - b.score[i];
    return a.item.sort < b.item.sort ? -1 : a.item.sort > b.item.sort ? 1 : 0;
  }

  /* Rows matching the query and filters, best first: [{row, alias (the alias that matched, or null)}]. */
  function rank(rows, text, filter, typoMin) {
    var w = words(text), query = { words: w, joined: w.join(" "), compact: w.join("") }, seen = {}, found = [];
    if (!w.length) return [];
    rows.forEach(function (row) {
      if (seen[row[0]]) return;
      seen[row[0]] = true;
      if (filter.sector !== null && row[2] !== filter.sector) return;
      if (filter.channel !== null && !(row[3] & (1 << filter.channel))) return;
      var item = prepare(row), best = null;
      item.strings.forEach(function (s) {
        var sc = score(query, s, typoMin);
        if (sc && (!best || compare({ score: sc, item: item }, best) < 0)) best = { score: sc, item: item, string: s };
      });
      if (best) found.push(best);
    });
    return found.sort(compare).map(function (b) { return { row: b.item.row, alias: b.string.alias ? b.string.text : null, typo: b.score[0] === 2 }; });
  }

  /* Which name shard a query reads: its first word's (run-together words for "h m"), unless that shard is one most
   * names share, then the smallest.  null: nothing to read yet (one letter). */
  function plan(text, meta) {
    var w = words(text), options = [], compact = w.join("");
    if (compact.length >= 2) options.push({ key: shardKey(compact), word: w[0].length >= 2 ? w[0] : compact });
    w.forEach(function (q) { if (q.length >= 2) options.push({ key: shardKey(q), word: q }); });
    if (!options.length) return null;
    var size = function (o) { return has(meta.names, o.key) ? meta.names[o.key] : 0; };
    if (size(options[0]) <= meta.heavy_kb) return options[0];
    return options.reduce(function (a, b) { return size(b) < size(a) ? b : a; });
  }

  /* The extra shards that hold every word one typo away from `word` where the typo is in its first two letters. */
  function typoShards(word, meta) {
    var c = Array.from(word), typos = " " + meta.typos + " ", out = [];
    [c[1] + c[2], c[0] + c[2]].forEach(function (pair) { var k = shardKey(pair); if (has(meta.names, k)) out.push("n-" + k); });
    [c[1] + c[2], c[0] + c[2], c[0] + c[1]].forEach(function (pair) { var k = shardKey(pair); if (typos.indexOf(" " + k + " ") >= 0) out.push("t-" + k); });
    return out;
  }

  /* Sectors a need query names ("luz" → energy, "seguro de coche" → insurance): every word of a listed phrase is
   * in the query; the last word typed may still be growing ("electri"). */
  function needsFor(text, needs) {
    var q = words(text), found = [];
    if (!q.length) return found;
    Object.keys(needs).forEach(function (phrase) {
      var p = phrase.split(" "), last = q[q.length - 1];
      var all = p.every(function (w) { return q.indexOf(w) >= 0 || (last.length >= 4 && w.length > last.length && w.lastIndexOf(last, 0) === 0 && w === p[p.length - 1]); });
      if (all) needs[phrase].forEach(function (sector) { if (found.indexOf(sector) < 0) found.push(sector); });
    });
    return found;
  }

  /* Pages whose title or text has every query word (as a word's start), titles first. */
  var preparedPages = null;
  function rankPages(text, pages) {
    var q = words(text);
    if (!q.length) return [];
    if (!preparedPages || preparedPages.source !== pages) {
      preparedPages = { source: pages, items: pages.map(function (p) { return { page: p, title: words(p[0]), text: words(p[2]) }; }) };
    }
    var found = [];
    preparedPages.items.forEach(function (item) {
      var score = 0;
      var all = q.every(function (w) {
        var inTitle = item.title.some(function (x) { return x.lastIndexOf(w, 0) === 0; });
        var inText = inTitle || item.text.some(function (x) { return x.lastIndexOf(w, 0) === 0; });
        score += inTitle ? 10 : inText ? 1 : 0;
        return inText;
      });
      if (all) found.push({ page: item.page, score: score });
    });
    return found.sort(function (a, b) { return b.score - a.score; }).map(function (f) { return f.page; });
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return has(values, key) ? values[key] : all; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- the index: what both searches read -------------------------------------------------------------------- */

  /* `data`: the page's words and links; `base`: what its relative links start from. */
  function Engine(data) {
    var files = {}, metaFile = null, self = this;
    this.data = data;
    this.meta = null;

    function load(name) {
      if (!files[name]) {
        files[name] = self.ready().then(function (meta) {
          return fetch(data.index + name + ".json?v=" + meta.version);
        }).then(function (response) {
          if (!response.ok) throw new Error(name + ": " + response.status);
          return response.json();
        });
        files[name].catch(function () { delete files[name]; });
      }
      return files[name];
    }
    this.load = load;

    this.ready = function () {
      if (!metaFile) {
        metaFile = fetch(data.index + "meta.json", { cache: "no-cache" }).then(function (response) {
          if (!response.ok) throw new Error("meta: " + response.status);
          return response.json();
        }).then(function (meta) { self.meta = meta; check.useTables(meta.normalise); return meta; });
        metaFile.catch(function () { metaFile = null; });
      }
      return metaFile;
    };

    /* Companies matching the query: [{row, alias}], best first.  `wait(ms)` delays a heavy shard; it resolves
     * false when the query changed meanwhile. */
    this.names = function (raw, filter, wait) {
      return self.ready().then(function (meta) {
        var target = plan(raw, meta);
        if (!target) return { found: [], short: true };
        var first = has(meta.names, target.key) ? "n-" + target.key : null;
        var heavy = first && meta.names[target.key] > meta.heavy_kb && !files[first];
        return (heavy ? wait(HEAVY_WAIT) : Promise.resolve(true)).then(function (go) {
          if (!go) return null;
          return first ? load(first) : [];
        }).then(function (rows) {
          if (rows === null) return null;
          var found = rank(rows, raw, filter, meta.typo_min);
          if (found.length || target.word.length < meta.typo_min) return { found: found };
          return Promise.all(typoShards(target.word, meta).map(load)).then(function (more) {
            return { found: rank(rows.concat.apply(rows, more), raw, filter, meta.typo_min) };
          });
        });
      });
    };

    /* The sectors a need query names, each with its first companies: [{sector, count, rows}]. */
    this.needs = function (raw) {
      var sectors = needsFor(raw, data.needs || {});
      if (!sectors.length) return Promise.resolve([]);
      return self.ready().then(function (meta) {
        sectors = sectors.filter(function (s) { return meta.with_sector.indexOf(s) >= 0; });
        return Promise.all(sectors.map(function (s) { return load("s-" + s); })).then(function (got) {
          return got.map(function (shard, i) { return { sector: sectors[i], count: shard.count, rows: shard.rows }; });
        });
      });
    };

    this.account = function (raw) {
      return self.ready().then(function (meta) { return check.answer(raw, meta, load); });
    };

    var guides = null;
    this.pages = function (raw) {
      if (!data.guides) return Promise.resolve([]);
      if (!guides) {
        guides = fetch(data.guides, { cache: "no-cache" }).then(function (r) { return r.ok ? r.json() : []; });
        guides.catch(function () { guides = null; });
      }
      return guides.then(function (pages) { return rankPages(raw, pages); });
    };

    this.formatDate = function (iso) {
      var d = new Date(iso + "T12:00:00Z");
      return isNaN(d) ? iso : new Intl.DateTimeFormat(data.words.locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
    };

    this.companyHref = function (id) { return data.companies + encodeURIComponent(id) + "/"; };
    this.sectorHref = function (sector) { return data.sector_link.replace("{key}", sector.replace(/_/g, "-")); };
  }

  function companyItem(engine, hit, className) {
    var data = engine.data, row = hit.row, li = el("li", className), a = el("a", "");
    a.href = engine.companyHref(row[0]);
    a.appendChild(el("span", "dr-search__name", row[1]));
    var meta = engine.meta, details = [data.sectors[meta.sectors[row[2]]]];
    if (hit.alias) details.push(fill(data.words.also, { alias: hit.alias }));
    var kinds = meta.channels.filter(function (kind, i) { return row[3] & (1 << i); });
    if (kinds.length) details.push(kinds.map(function (kind) { return data.channels[kind]; }).join(", "));
    a.appendChild(el("span", "dr-search__details", details.join(" · ")));
    li.appendChild(a);
    return li;
  }

  /* A need query's sector: a link to its index, then its first companies. */
  function needItems(engine, need, seen) {
    var data = engine.data, out = [], li = el("li", "dr-search__need"), a = el("a", "");
    li.setAttribute("data-need", need.sector);
    a.href = engine.sectorHref(need.sector);
    a.appendChild(el("span", "dr-search__name", fill(data.header.need_all, { sector: data.sectors[need.sector] })));
    a.appendChild(el("span", "dr-search__details", fill(need.count === 1 ? data.header.need_one : data.header.need, { sector: data.sectors[need.sector], count: need.count })));
    li.appendChild(a);
    out.push(li);
    need.rows.forEach(function (row) {
      if (seen[row[0]]) return;
      seen[row[0]] = true;
      out.push(companyItem(engine, { row: row, alias: null }, "dr-search__in-need"));
    });
    return out;
  }

  /* --- the home page's search ------------------------------------------------------------------------------- */

  function readData() {
    var node = document.getElementById("dr-search-data");
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch { return null; }
  }

  function setup(root, data, params) {
    var form = root.querySelector("[data-search-form]"), input = root.querySelector("input[type=search]");
    var sectorSelect = root.querySelector("[data-search-sector]"), channelSelect = root.querySelector("[data-search-channel]");
    var status = root.querySelector("[data-search-status]"), results = root.querySelector("[data-search-results]");
    var account = root.querySelector("[data-account-check]");
    var engine = new Engine(data), text = data.words, run = 0, waiting = null, failed = false;

    function filter() {
      var meta = engine.meta;
      return { sector: sectorSelect.value ? meta.sectors.indexOf(sectorSelect.value) : null,
               channel: channelSelect.value ? meta.channels.indexOf(channelSelect.value) : null };
    }

    function keepInUrl(query) {
      var params = new URLSearchParams(window.location.search);
      [["q", query], ["sector", sectorSelect.value], ["channel", channelSelect.value]].forEach(function (pair) {
        if (pair[1]) params.set(pair[0], pair[1]); else params.delete(pair[0]);
      });
      var search = params.toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function showResults(found, needs, query, pasted) {
      results.textContent = "";
      var seen = {};
      found.slice(0, SHOWN).forEach(function (hit) { seen[hit.row[0]] = true; results.appendChild(companyItem(engine, hit)); });
      if (!sectorSelect.value && !channelSelect.value) {
        needs.forEach(function (need) { needItems(engine, need, seen).forEach(function (li) { results.appendChild(li); }); });
      }
      // A pasted handle or number that names no company is answered by the account check alone.
      if (!found.length) status.textContent = query && !pasted && !needs.length ? fill(text.none, { query: query }) : "";
      else if (found.length === 1) status.textContent = text.count_one;
      else if (found.length > SHOWN) status.textContent = fill(text.count_more, { count: found.length, shown: SHOWN });
      else status.textContent = fill(text.count, { count: found.length });
    }

    function showFilterLinks() {
      results.textContent = "";
      status.textContent = "";
      var f = [[sectorSelect.value, data.sector_link, text.all_in_sector, "sector", data.sectors],
               [channelSelect.value, data.channel_link, text.all_on_channel, "channel", data.channels]];
      f.forEach(function (item) {
        if (!item[0]) return;
        var values = {};
        values[item[3]] = item[4][item[0]];
        var a = el("a", "", fill(item[2], values)), li = el("li");
        a.href = item[1].replace("{key}", item[0].replace(/_/g, "-"));
        li.appendChild(a);
        results.appendChild(li);
      });
    }

    function clearAccount() {
      account.hidden = true;
      account.textContent = "";
      account.removeAttribute("data-account-result");
      account.removeAttribute("data-verdict");
    }

    function checkAccount(raw, mine) {
      return engine.account(raw).then(function (found) {
        if (mine !== run) return null;
        if (!found) clearAccount();
        else check.show(account, found, raw, data, engine.formatDate);
        return found;
      });
    }

    function wait(mine) {
      return function (ms) {
        status.textContent = text.keep_typing;
        return new Promise(function (resolve) { waiting = setTimeout(function () { resolve(mine === run); }, ms); });
      };
    }

    function findNames(raw, mine) {
      return engine.ready().then(function () {
        if (mine !== run) return null;
        return Promise.all([engine.names(raw, filter(), wait(mine)), engine.needs(raw)]);
      }).then(function (got) {
        if (!got || mine !== run) return null;
        var names = got[0];
        if (names === null) return null;
        if (names.short && !got[1].length) {
          results.textContent = "";
          status.textContent = words(raw).length ? text.keep_typing : "";
          return null;
        }
        return { found: names.found, needs: got[1] };
      });
    }

    function search() {
      var raw = input.value, mine = ++run;
      if (waiting !== null) { clearTimeout(waiting); waiting = null; }
      keepInUrl(raw.trim());
      if (!raw.trim()) {
        root.setAttribute("data-search-done", "");
        clearAccount();
        if (sectorSelect.value || channelSelect.value) engine.ready().then(showFilterLinks, function () {});
        else { results.textContent = ""; status.textContent = ""; }
        return;
      }
      root.removeAttribute("data-search-done");
      if (!engine.meta) status.textContent = text.loading;
      Promise.all([checkAccount(raw, mine), findNames(raw, mine)]).then(function (got) {
        if (mine !== run) return;
        if (got[1]) showResults(got[1].found, got[1].needs, raw.trim(), !!got[0]);
        root.setAttribute("data-search-done", raw.trim()); // for tests: this query is answered
      }, function () {
        if (mine !== run) return;
        failed = true;
        status.textContent = text.failed;
        root.setAttribute("data-search-done", raw.trim());
      });
    }

    /* --- keyboard: arrows move through the results, Enter opens --- */

    /* The company links, in page order: the account check's, then the results. */
    function links() {
      return Array.prototype.slice.call(root.querySelectorAll(
        "[data-account-check] .dr-account__row > a, [data-account-check] .dr-account__lookalike a, [data-search-results] a"));
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var all = links();
        if (all.length) { event.preventDefault(); all[0].focus(); }
      }
    });
    results.addEventListener("keydown", move);
    account.addEventListener("keydown", move);
    function move(event) {
      var all = links(), at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (event.key === "ArrowDown" && at + 1 < all.length) { event.preventDefault(); all[at + 1].focus(); }
      else if (event.key === "ArrowUp") { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
      else if (event.key === "Escape") { event.preventDefault(); input.focus(); }
    }
    form.addEventListener("submit", function (event) {
      if (failed) return; // the plain form: off to the A-Z index
      event.preventDefault();
      var first = results.querySelector("a") || account.querySelector(".dr-account__row > a");
      if (first) window.location.href = first.href;
    });

    input.addEventListener("input", search);
    sectorSelect.addEventListener("change", search);
    channelSelect.addEventListener("change", search);

    // A shared or reloaded search (?q=…&sector=…&channel=…) shows its results again.
    var sector = params.get("sector"), kind = params.get("channel");
    if (sector && sectorSelect.querySelector("option[value='" + CSS.escape(sector) + "']")) sectorSelect.value = sector;
    if (kind && channelSelect.querySelector("option[value='" + CSS.escape(kind) + "']")) channelSelect.value = kind;
    if (params.get("q")) input.value = params.get("q");
    if (input.value || sectorSelect.value || channelSelect.value) search();
  }

  /* --- the header search (Material's field, every page) -------------------------------------------------------- */

  /* The site's root, from this script's own address (javascripts/dr-search.js). */
  function siteRoot() {
    try { return new URL("../", SCRIPT).href; } catch { return null; }
  }

  function rooted(words, root) {
    var data = JSON.parse(JSON.stringify(words));
    ["index", "companies", "sector_link", "channel_link", "guides", "a_z"].forEach(function (k) {
      if (typeof data[k] === "string") data[k] = new URL(data[k], root).href.replace("%7Bkey%7D", "{key}");
    });
    return data;
  }

  function setupHeader() {
    var input = document.querySelector("[data-md-component=search-query]");
    var result = document.querySelector("[data-md-component=search-result]");
    var root = siteRoot(), lang = document.documentElement.lang === "en" ? "en" : "es";
    if (!input || !result || !root || input.hasAttribute("data-dr-search")) return;
    input.setAttribute("data-dr-search", "");
    var box = el("div", "dr-header-search");
    box.setAttribute("data-header-search", "");
    var status = el("p", "dr-header-search__status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var account = el("div", "dr-search__account");
    account.classList.add("dr-header-search__account");
    account.setAttribute("data-header-check", "");
    account.hidden = true;
    var list = el("ul", "dr-header-search__results");
    list.setAttribute("data-header-results", "");
    box.appendChild(status);
    box.appendChild(account);
    box.appendChild(list);
    // After Material's own first child (its status line), before its list: Material rewrites only those two.
    result.insertBefore(box, result.firstElementChild ? result.firstElementChild.nextSibling : null);
    result.classList.add("dr-header-search__host");

    var engine = null, words = null, run = 0, waiting = null;
    function start() {
      if (!words) {
        words = fetch(root + "search/companies/words-" + lang + ".json", { cache: "no-cache" }).then(function (r) {
          if (!r.ok) throw new Error("words: " + r.status);
          return r.json();
        }).then(function (w) { engine = new Engine(rooted(w, root)); return engine; });
        words.catch(function () { words = null; });
      }
      return words;
    }
    input.addEventListener("focus", function () { start().then(function (e) { return e.ready(); }).catch(function () {}); });

    function heading(text) { var li = el("li", "dr-header-search__heading", text); li.setAttribute("aria-hidden", "true"); return li; }

    function answer() {
      var raw = input.value, mine = ++run;
      if (waiting !== null) { clearTimeout(waiting); waiting = null; }
      if (!raw.trim()) {
        list.textContent = ""; status.textContent = ""; account.hidden = true; account.removeAttribute("data-verdict");
        box.setAttribute("data-search-done", "");
        return;
      }
      box.removeAttribute("data-search-done");
      start().then(function (e) {
        var h = e.data.header;
        if (!e.meta) status.textContent = h.loading;
        var wait = function (ms) { return new Promise(function (resolve) { waiting = setTimeout(function () { resolve(mine === run); }, ms); }); };
        return Promise.all([e.names(raw, { sector: null, channel: null }, wait), e.needs(raw), e.pages(raw), e.account(raw)]).then(function (got) {
          if (mine !== run) return;
          var names = got[0], needs = got[1], pages = got[2], found = got[3], seen = {};
          list.textContent = "";
          if (found) check.show(account, found, raw, e.data, e.formatDate);
          else { account.hidden = true; account.textContent = ""; account.removeAttribute("data-verdict"); account.removeAttribute("data-account-result"); }
          var companies = names ? names.found : [];
          if (companies.length || needs.length) list.appendChild(heading(h.companies));
          // A name comes first; a need ("vuelo") comes before names it only resembles ("Vueling", one letter away).
          var shown = companies.slice(0, HEADER_SHOWN);
          var close = shown.filter(function (hit) { return !hit.typo || !needs.length; });
          var loose = shown.filter(function (hit) { return hit.typo && needs.length; });
          close.forEach(function (hit) { seen[hit.row[0]] = true; list.appendChild(companyItem(e, hit)); });
          needs.forEach(function (need) { needItems(e, need, seen).forEach(function (li) { list.appendChild(li); }); });
          loose.forEach(function (hit) { if (!seen[hit.row[0]]) { seen[hit.row[0]] = true; list.appendChild(companyItem(e, hit)); } });
          if (pages.length) list.appendChild(heading(h.pages));
          pages.slice(0, PAGES_SHOWN).forEach(function (page) {
            var li = el("li", "dr-header-search__page"), a = el("a", "");
            a.href = new URL(page[1], root).href;
            a.appendChild(el("span", "dr-search__name", page[0]));
            a.appendChild(el("span", "dr-search__details", page[2].slice(0, 140) + (page[2].length > 140 ? "…" : "")));
            li.appendChild(a);
            list.appendChild(li);
          });
          var none = !companies.length && !needs.length && !pages.length && !found;
          status.textContent = none ? fill(h.none, { query: raw.trim() }) : names && names.short && !needs.length && !pages.length ? h.keep_typing : "";
          box.setAttribute("data-search-done", raw.trim());
        });
      }).catch(function () {
        if (mine !== run) return;
        status.textContent = engine ? engine.data.header.failed : "";
        box.setAttribute("data-search-done", raw.trim());
      });
    }

    input.addEventListener("input", answer);
    // Material opens its dialog for ?q= (the home form's fallback lands on the A-Z index with one): answer it too.
    var asked = new URLSearchParams(window.location.search).get("q");
    // Enter opens our first answer (a company, then a sector, then a page), before Material's handler sees it.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var first = box.querySelector(".dr-account__row > a, [data-header-results] a, .dr-account__lookalike a");
      event.preventDefault();
      event.stopPropagation();
      if (first) window.location.href = first.href;
    });
    if (asked && !document.querySelector("[data-search]")) { input.value = asked; answer(); }
    else if (input.value) answer();
  }

  function start() {
    var root = document.querySelector("[data-search]"), data = readData();
    var params = new URLSearchParams(window.location.search);
    if (root && data && !root.hasAttribute("data-search-ready")) {
      root.setAttribute("data-search-ready", "");
      // Material's header search also answers ?q= by opening its overlay over the page; here the query is ours.
      var overlay = document.getElementById("__search");
      if (overlay && overlay.checked && params.has("q")) {
        overlay.checked = false;
        overlay.dispatchEvent(new Event("change"));
        var theirs = document.querySelector("[data-md-component=search-query]");
        if (theirs) theirs.value = "";
      }
      setup(root, data, params);
    }
    setupHeader();
  }

  window.drSearch = { fold: fold, words: words, shardKey: shardKey, accountKey: check.accountKey, keyHash: check.keyHash,
                      oneEdit: oneEdit, rank: rank, plan: plan, typoShards: typoShards, needsFor: needsFor, rankPages: rankPages };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
