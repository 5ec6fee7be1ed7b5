/* Donde Reclamo: company search and "is this account really them?" on the home page.
 *
 * The generator (generator/site/search.py) wrote a compact index under search/companies/:
 *   n-<key>.json  companies with a word starting with those two letters: [id, name, sector, channel mask, alias…]
 *   t-<key>.json  the same rows by other letter pairs, read only to find a typo in a word's first two letters
 *   a-<i>.json    official addresses by normalised key → [[id, name, channel type, address, source, checked], …]
 * and the page carries what this script needs in <script id="dr-search-data">: where the index is, its shard
 * sizes, the page's words and links.  Nothing is fetched until the visitor types (or opens a ?q= link), and then
 * only the shard the query needs.  fold, words, shardKey, accountKey and keyHash mirror the Python ones; a test
 * runs both on the same inputs.  Without JavaScript the form is a plain GET form to the A-Z index.
 */
(function () {
  "use strict";

  var SHOWN = 10;
  var HEAVY_WAIT = 300; // ms of no typing before a shard most names share is fetched

  /* --- normalisation (mirrors generator/site/search.py) --------------------------- */

  var MARKS = /\p{Mn}/gu;
  var WORD = /[\p{L}\p{N}]+/gu;
  var EMAIL = /^[^\s@/]+@[^\s@/]+\.[a-z]{2,63}$/;
  var HANDLE = /^[a-z0-9._]{1,64}$/;
  var URL_RE = /^(?:https?:\/\/)?(?:www\.|m\.|mobile\.|es-es\.|es\.)?([a-z0-9.-]+\.[a-z]{2,})(\/[^?#]*)?(\?[^#]*)?/;
  var PHONE_SEPARATORS = /[\s.\-()/]/g;
  var HANDLE_HOSTS = { "x.com": "x", "twitter.com": "x", "instagram.com": "instagram", "tiktok.com": "tiktok",
                       "t.me": "telegram", "telegram.me": "telegram" };
  var PROFILE_HOSTS = { "facebook.com": "facebook", "fb.com": "facebook", "youtube.com": "youtube", "linkedin.com": "linkedin" };

  function fold(text) { return text.normalize("NFKD").replace(MARKS, "").toLowerCase(); }
  function words(text) { return fold(text).match(WORD) || []; }
  function shardLetter(ch) { return (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") ? ch : "_"; }
  function shardKey(word) { return Array.from(word).slice(0, 2).map(shardLetter).join(""); }
  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  function phoneKey(text) {
    var compact = text.replace(PHONE_SEPARATORS, ""), digits;
    if (!/^\+?[0-9]{3,15}$/.test(compact)) return null;
    if (compact[0] === "+") digits = compact.slice(1);
    else if (compact.slice(0, 2) === "00") digits = compact.slice(2);
    else if (compact.length === 9 && "6789".indexOf(compact[0]) >= 0) digits = "34" + compact; // Spanish, no country code
    else digits = compact; // an operator's short code (1004, 22123)
    return digits.length >= 3 ? { key: digits, network: null } : null;
  }

  function urlKey(host, path, query) {
    var first = path.split("/")[0];
    if (has(HANDLE_HOSTS, host)) {
      var handle = first.replace(/^@/, "");
      return HANDLE.test(handle) ? { key: "@" + handle, network: HANDLE_HOSTS[host] } : null;
    }
    if (host === "wa.me" || host === "api.whatsapp.com" || host === "whatsapp.com") {
      var number = host === "wa.me" ? first : (new URLSearchParams(query.replace(/^\?+/, "")).get("phone") || "");
      var found = number ? phoneKey("+" + number.replace(/^\++/, "")) : null;
      return found ? { key: found.key, network: "whatsapp" } : null;
    }
    if (has(PROFILE_HOSTS, host) && path) {
      var network = PROFILE_HOSTS[host];
      return { key: (network === "facebook" ? "facebook.com" : host) + "/" + path, network: network };
    }
    return null;
  }

  /* What a visitor pasted, normalised to the key the data is indexed by; null when it is not a contact address. */
  function accountKey(text) {
    var lower = text.trim().toLowerCase();
    if (lower.slice(0, 7) === "mailto:") lower = lower.slice(7).split("?")[0];
    if (lower[0] !== "@" && EMAIL.test(lower)) return { key: lower, network: "email" };
    if (lower[0] === "@") {
      var handle = lower.slice(1).trim();
      return HANDLE.test(handle) ? { key: "@" + handle, network: null } : null;
    }
    var url = URL_RE.exec(lower);
    if (url && (lower.indexOf("/") >= 0 || /^https?:/.test(lower))) {
      return urlKey(url[1], (url[2] || "").replace(/^\/+|\/+$/g, ""), url[3] || "");
    }
    return phoneKey(lower);
  }

  /* FNV-1a, 32 bits, over UTF-16 code units: the account shard is keyHash(key) % shards. */
  function keyHash(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }

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
    return found.sort(compare).map(function (b) { return { row: b.item.row, alias: b.string.alias ? b.string.text : null }; });
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

  /* --- the page --------------------------------------------------------------- */

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return has(values, key) ? values[key] : all; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

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
    var meta = data.meta, text = data.words, files = {}, run = 0, waiting = null, failed = false;

    function load(name) {
      if (!files[name]) {
        files[name] = fetch(data.index + name + ".json?v=" + meta.version).then(function (response) {
          if (!response.ok) throw new Error(name + ": " + response.status);
          return response.json();
        });
        files[name].catch(function () { delete files[name]; });
      }
      return files[name];
    }

    function filter() {
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

    function formatDate(iso) {
      var d = new Date(iso + "T12:00:00Z");
      return isNaN(d) ? iso : new Intl.DateTimeFormat(text.locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(d);
    }

    function companyLink(id, label) {
      var a = el("a", "", label);
      a.href = data.companies + encodeURIComponent(id) + "/";
      return a;
    }

    function showResults(found, query) {
      results.textContent = "";
      found.slice(0, SHOWN).forEach(function (hit) {
        var row = hit.row, li = el("li"), a = companyLink(row[0], "");
        a.appendChild(el("span", "dr-search__name", row[1]));
        var details = [data.sectors[meta.sectors[row[2]]]];
        if (hit.alias) details.push(fill(text.also, { alias: hit.alias }));
        var kinds = meta.channels.filter(function (kind, i) { return row[3] & (1 << i); });
        if (kinds.length) details.push(kinds.map(function (kind) { return data.channels[kind]; }).join(", "));
        a.appendChild(el("span", "dr-search__details", details.join(" · ")));
        li.appendChild(a);
        results.appendChild(li);
      });
      // A pasted handle or number that names no company is answered by the account check alone.
      if (!found.length) status.textContent = query && !accountKey(query) ? fill(text.none, { query: query }) : "";
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

    /* --- is this account really them? --- */

    function lookalikes(key, rows) {
      var handle = words(key.key.replace(/^.*\//, "")).join("");
      return rows.filter(function (row) {
        return prepare(row).strings.some(function (s) {
          return s.compact.length >= 4 && handle.indexOf(s.compact) >= 0 ||
            s.words.some(function (w) { return w.length >= 4 && handle.indexOf(w) >= 0; });
        });
      }).map(function (row) { return { row: row, alias: null }; });
    }

    function showAccount(raw, key, listed, nearby) {
      account.textContent = "";
      account.hidden = false;
      account.appendChild(el("h2", "dr-account__title", text.account_title));
      var address = raw.trim(), matching = listed.filter(function (r) { return !key.network || r[2] === key.network; });
      account.setAttribute("data-account-result", !listed.length ? "unlisted" : matching.length ? "listed" : "other-network");
      listed.forEach(function (r) {
        var p = el("p", "dr-account__row"), same = !key.network || r[2] === key.network;
        p.setAttribute("data-account-company", r[0]);
        p.appendChild(document.createTextNode(fill(same ? text.account_listed : text.account_other_network,
          { name: r[1], address: r[3], channel: data.channels[r[2]] || r[2], network: data.channels[key.network] || key.network }) + " "));
        var source = el("span", "dr-account__source", text.account_source + ": ");
        if (/^https:\/\//.test(r[4])) {
          var a = el("a", "", r[4].replace(/^https:\/\/(www\.)?/, "").split("/")[0]);
          a.href = r[4];
          a.rel = "nofollow noopener ugc";
          source.appendChild(a);
        }
        source.appendChild(document.createTextNode(" · " + fill(text.account_checked, { date: formatDate(r[5]) }) + ". "));
        p.appendChild(source);
        p.appendChild(companyLink(r[0], fill(text.account_open, { name: r[1] })));
        account.appendChild(p);
      });
      if (!matching.length) {
        if (!listed.length) account.appendChild(el("p", "dr-account__none", fill(text.account_unlisted, { address: address })));
        account.appendChild(el("p", "dr-account__advice", text.account_advice));
        var shown = {};
        nearby.slice(0, 3).forEach(function (hit) {
          if (shown[hit.row[0]] || listed.some(function (r) { return r[0] === hit.row[0]; })) return;
          shown[hit.row[0]] = true;
          var p = el("p", "dr-account__lookalike");
          p.appendChild(companyLink(hit.row[0], fill(text.account_lookalike, { name: hit.row[1] })));
          account.appendChild(p);
        });
      }
    }

    function checkAccount(raw, mine) {
      var key = accountKey(raw);
      if (!key) { account.hidden = true; account.textContent = ""; account.removeAttribute("data-account-result"); return Promise.resolve(); }
      var shard = "a-" + (keyHash(key.key) % meta.accounts);
      var handle = key.key[0] === "@" || key.network === "facebook" || key.network === "youtube" || key.network === "linkedin";
      var word = handle ? words(key.key.replace(/^.*\//, "")).join("") : "";
      var near = word.length >= 2 && has(meta.names, shardKey(word)) ? load("n-" + shardKey(word)) : Promise.resolve([]);
      return Promise.all([load(shard), near]).then(function (got) {
        if (mine !== run) return;
        var listed = has(got[0], key.key) ? got[0][key.key] : [];
        showAccount(raw, key, listed, lookalikes(key, got[1]));
      });
    }

    /* --- names --- */

    function findNames(raw, mine) {
      var target = plan(raw, meta);
      if (!target) {
        results.textContent = "";
        status.textContent = words(raw).length ? text.keep_typing : "";
        return Promise.resolve();
      }
      var first = has(meta.names, target.key) ? ["n-" + target.key] : [];
      var heavy = first.length && meta.names[target.key] > meta.heavy_kb && !files[first[0]];
      var wait = heavy ? new Promise(function (resolve) { waiting = setTimeout(resolve, HEAVY_WAIT); }) : Promise.resolve();
      if (heavy) status.textContent = text.keep_typing;
      return wait.then(function () {
        if (mine !== run) return null;
        if (!first.length) return [];
        status.textContent = files[first[0]] ? status.textContent : text.loading;
        return load(first[0]);
      }).then(function (rows) {
        if (rows === null || mine !== run) return null;
        var found = rank(rows, raw, filter(), meta.typo_min);
        if (found.length || target.word.length < meta.typo_min) return found;
        var extra = typoShards(target.word, meta);
        return Promise.all(extra.map(load)).then(function (more) {
          return rank(rows.concat.apply(rows, more), raw, filter(), meta.typo_min);
        });
      }).then(function (found) {
        if (found === null || mine !== run) return;
        showResults(found, raw.trim());
      });
    }

    function search() {
      var raw = input.value, mine = ++run;
      if (waiting !== null) { clearTimeout(waiting); waiting = null; }
      keepInUrl(raw.trim());
      if (!raw.trim()) {
        root.setAttribute("data-search-done", "");
        account.hidden = true;
        account.textContent = "";
        if (sectorSelect.value || channelSelect.value) showFilterLinks();
        else { results.textContent = ""; status.textContent = ""; }
        return;
      }
      root.removeAttribute("data-search-done");
      Promise.all([checkAccount(raw, mine), findNames(raw, mine)]).then(function () {
        if (mine === run) root.setAttribute("data-search-done", raw.trim()); // for tests: this query is answered
      }, function () {
        if (mine !== run) return;
        failed = true;
        status.textContent = text.failed;
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
    if (params.get("sector") && meta.sectors.indexOf(params.get("sector")) >= 0) sectorSelect.value = params.get("sector");
    if (params.get("channel") && meta.channels.indexOf(params.get("channel")) >= 0) channelSelect.value = params.get("channel");
    if (params.get("q")) input.value = params.get("q");
    if (input.value || sectorSelect.value || channelSelect.value) search();
  }

  function start() {
    var root = document.querySelector("[data-search]"), data = readData();
    if (root && data && !root.hasAttribute("data-search-ready")) {
      root.setAttribute("data-search-ready", "");
      var params = new URLSearchParams(window.location.search);
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
  }

  window.drSearch = { fold: fold, words: words, shardKey: shardKey, accountKey: accountKey, keyHash: keyHash,
                      oneEdit: oneEdit, rank: rank, plan: plan, typoShards: typoShards };
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
