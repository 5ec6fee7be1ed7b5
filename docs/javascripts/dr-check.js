/* Donde Reclamo: "is this account really them?", and the address rules it runs on.
 *
 * The rules are generator/data/addresses.py's: the build ships their tables (search/companies/meta.json,
 * "normalise") and this file runs them; nothing here is a hand copy of a table.  tests/test_normalise_parity.py
 * runs tests/cases/normalise.json through both.  The answer carries data-verdict:
 *   company   listed, and the source is the company's own page (or it is the company's website or domain);
 *   reported  listed, but only a press article, directory, public body or consumer group says so;
 *   lookalike not listed, but like a listed handle or domain (an added word or hyphen, lookalike letters);
 *   unknown   nothing matches.
 * dr-search.js calls window.drCheck.answer() with its shard loader; this file fetches nothing itself.
 */
(function () {
  "use strict";

  var T = null; // the tables, with the patterns compiled

  function useTables(tables) {
    if (T && T.source === tables) return;
    var p = tables.patterns;
    T = { source: tables, email: new RegExp(p.email, "u"), handle: new RegExp(p.handle, "u"), url: new RegExp(p.url, "u"),
          domain: new RegExp(p.domain, "u"), phone: new RegExp(p.phone, "u"), separators: new RegExp(p.separators, "gu"),
          hosts: tables.network_hosts, handles: tables.handle_networks, whatsapp: tables.whatsapp_hosts,
          prefixes: tables.host_prefixes, country: tables.country_code, national: tables.national_digits,
          leads: tables.national_leads, secondLevel: tables.second_level, confusables: tables.confusables,
          folds: tables.skeleton_folds, sep: tables.separators, containedMin: tables.contained_min,
          keyLength: tables.lookalike_key, keyMax: tables.lookalike_key_max };
  }

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  /* Lower case without accents: addresses.fold. */
  var MARKS = /\p{Mn}/gu;
  function fold(text) { return text.normalize("NFKD").replace(MARKS, "").toLowerCase(); }

  function bareHost(host) {
    for (var i = 0; i < T.prefixes.length; i++) {
      var prefix = T.prefixes[i];
      if (host.lastIndexOf(prefix, 0) === 0 && host.split(".").length >= 3) return host.slice(prefix.length);
    }
    return host;
  }

  function phoneKey(text) {
    var compact = text.replace(T.separators, ""), digits;
    if (!T.phone.test(compact)) return null;
    if (compact[0] === "+") digits = compact.slice(1);
    else if (compact.slice(0, 2) === "00") digits = compact.slice(2);
    else if (compact.length === T.national && T.leads.indexOf(compact[0]) >= 0) digits = T.country + compact;
    else digits = compact; // an operator's short code (1004, 22123)
    return digits.length >= 3 ? { key: digits, network: null } : null;
  }

  function urlKey(host, path, query) {
    var first = path.split("/")[0], network = has(T.hosts, host) ? T.hosts[host] : null;
    if (network !== null && T.handles.indexOf(network) >= 0) {
      var handle = first.replace(/^@/, "");
      return handle && T.handle.test(handle) ? { key: "@" + handle, network: network } : null;
    }
    if (T.whatsapp.indexOf(host) >= 0) {
      var number = host === "wa.me" ? first : (new URLSearchParams(query.replace(/^\?+/, "")).get("phone") || "");
      var found = number ? phoneKey("+" + number.replace(/^\++/, "")) : null;
      return found ? { key: found.key, network: "whatsapp" } : null;
    }
    if (network !== null) return path ? { key: (network === "facebook" ? "facebook.com" : host) + "/" + path, network: network } : null;
    return { key: host, network: "web" };
  }

  /* What a visitor pasted, normalised to the key the data is indexed by: addresses.account_key. */
  function accountKey(text) {
    var lower = text.trim().toLowerCase();
    if (lower.slice(0, 7) === "mailto:") lower = lower.slice(7).split("?")[0];
    if (lower[0] !== "@" && T.email.test(lower)) return { key: lower, network: "email" };
    if (lower[0] === "@") {
      var handle = lower.slice(1).trim();
      return T.handle.test(handle) ? { key: "@" + handle, network: null } : null;
    }
    var url = T.url.exec(lower);
    if (url && (lower.indexOf("/") >= 0 || /^https?:/.test(lower) || T.domain.test(lower))) {
      return urlKey(bareHost(url[1]), (url[2] || "").replace(/^\/+|\/+$/g, ""), url[3] || "");
    }
    return phoneKey(lower);
  }

  function domainKeys(host) {
    var labels = host.split("."), out = [];
    var floor = labels.length >= 3 && T.secondLevel.indexOf(labels[labels.length - 2]) >= 0 && labels[labels.length - 1].length === 2 ? 3 : 2;
    for (var i = 0; i < Math.max(1, labels.length - floor + 1); i++) out.push(labels.slice(i).join("."));
    return out;
  }

  function emailDomain(key) { return key.slice(key.lastIndexOf("@") + 1); }

  /* --- lookalikes: addresses.alike ------------------------------------------------------------------------ */

  function isAscii(text) { return /^[\x00-\x7f]*$/.test(text); } // eslint-disable-line no-control-regex

  function skeleton(text) {
    var mapped = Array.from(text.normalize("NFKC")).map(function (ch) { return has(T.confusables, ch) ? T.confusables[ch] : ch; });
    var folded = mapped.join("").toLowerCase();
    T.folds.forEach(function (pair) { folded = folded.split(pair[0]).join(pair[1]); });
    return folded;
  }

  function strip(text) {
    var chars = Array.from(text), a = 0, b = chars.length;
    while (a < b && T.sep.indexOf(chars[a]) >= 0) a++;
    while (b > a && T.sep.indexOf(chars[b - 1]) >= 0) b--;
    return chars.slice(a, b).join("");
  }

  function distance(a, b) {
    var x = Array.from(a), y = Array.from(b), previous = [], j;
    for (j = 0; j <= y.length; j++) previous.push(j);
    for (var i = 1; i <= x.length; i++) {
      var current = [i];
      for (j = 1; j <= y.length; j++) current.push(Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
      previous = current;
    }
    return previous[y.length];
  }

  function alike(old, young, containedMin) {
    var min = containedMin === undefined ? T.containedMin : containedMin;
    if (old.toLowerCase() === young.toLowerCase()) return null;
    if (!isAscii(young) && isAscii(old)) return "script";
    if (skeleton(old) === skeleton(young)) return "confusable";
    var oldBare = strip(old.toLowerCase()), newBare = strip(young.toLowerCase());
    if (oldBare === newBare) return "edge";
    if (oldBare.replace(/[-_]/g, "") === newBare.replace(/[-_]/g, "")) return "separator";
    if (Array.from(oldBare).length >= min && newBare.indexOf(oldBare) >= 0) return "contains";
    if (Array.from(newBare).length >= min && oldBare.indexOf(newBare) >= 0) return "shortened";
    var limit = Array.from(oldBare).length < 6 ? 1 : 2, apart = distance(skeleton(oldBare), skeleton(newBare));
    return apart > 0 && apart <= limit ? "distance-" + apart : null;
  }

  function domainName(host) {
    var labels = host.toLowerCase().replace(/^www\./, "").split(".");
    if (labels.length >= 3 && T.secondLevel.indexOf(labels[labels.length - 2]) >= 0 && labels[labels.length - 1].length === 2) labels = labels.slice(0, -2);
    else if (labels.length >= 2) labels = labels.slice(0, -1);
    return labels.length ? labels[labels.length - 1] : host;
  }

  function alikeDomain(old, young, containedMin) {
    if (old.toLowerCase() === young.toLowerCase()) return null;
    var whole = alike(old, young, containedMin);
    if (whole) return whole;
    var oldName = domainName(old), newName = domainName(young);
    return oldName === newName ? "same-name" : alike(oldName, newName, containedMin);
  }

  function ownerName(ident) {
    var name = ident.replace(/^@/, "");
    return name.indexOf(".") > 0 ? domainName(name) : name;
  }

  function lookalikeStem(ident) { return strip(skeleton(ownerName(ident))); }

  function lookalikeShard(stem, letters) {
    return Array.from(stem).slice(0, letters).map(function (ch) { return (ch >= "a" && ch <= "z") || (ch >= "0" && ch <= "9") ? ch : "_"; }).join("");
  }

  function lookalikeProbes(ident) {
    var bare = lookalikeStem(ident), out = [];
    [bare].concat(bare.split(/[-_.0-9]+/)).forEach(function (part) {
      if (Array.from(part).length >= T.keyLength && out.indexOf(part) < 0) out.push(part);
    });
    return out;
  }

  /* The lookalike shards that may hold stems like these: every listed key that starts one of them. */
  function lookalikeShards(stems, listed) {
    var known = " " + listed + " ", out = [];
    stems.forEach(function (stem) {
      for (var k = T.keyLength; k <= Math.min(T.keyMax, Array.from(stem).length); k++) {
        var key = lookalikeShard(stem, k);
        if (known.indexOf(" " + key + " ") >= 0 && out.indexOf(key) < 0) out.push(key);
      }
    });
    return out;
  }

  /* FNV-1a, 32 bits, over UTF-16 code units: the account shard is keyHash(key) % shards (search.key_hash). */
  function keyHash(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  }

  /* --- the answer ------------------------------------------------------------------------------------------ */

  /* What the data says about a pasted address: {key, verdict, rows, similar: [{row, listed, why}], domain}.
   * `load(name)` fetches a shard (a promise of its JSON); `meta` is search/companies/meta.json. */
  function answer(raw, meta, load) {
    useTables(meta.normalise);
    var key = accountKey(raw);
    if (!key) return Promise.resolve(null);
    var hosts = key.network === "web" ? domainKeys(key.key) : key.network === "email" ? domainKeys(emailDomain(key.key)) : [];
    var keys = (key.network === "web" ? [] : [key.key]).concat(hosts);
    var shards = {};
    keys.forEach(function (k) { shards["a-" + (keyHash(k) % meta.accounts)] = true; });
    var names = Object.keys(shards);
    return Promise.all(names.map(load)).then(function (got) {
      var merged = {};
      got.forEach(function (shard) { Object.keys(shard).forEach(function (k) { merged[k] = shard[k]; }); });
      var listed = key.network === "web" ? [] : (has(merged, key.key) ? merged[key.key] : []);
      var onDomain = null;
      hosts.some(function (h) { if (has(merged, h)) { onDomain = { host: h, rows: merged[h] }; return true; } return false; });
      if (key.network === "web" && onDomain) return { key: key, verdict: "company", rows: onDomain.rows, web: true };
      var same = listed.filter(function (r) { return !key.network || r[2] === key.network; });
      if (same.length) {
        var own = same.filter(function (r) { return r[6] === "company"; });
        return { key: key, verdict: own.length ? "company" : "reported", rows: own.length ? own : same };
      }
      if (key.network === "email" && onDomain) return { key: key, verdict: "company", rows: onDomain.rows, domain: onDomain.host };
      if (listed.length) return { key: key, verdict: "lookalike", rows: listed, otherNetwork: true };
      return similar(key, meta, load).then(function (found) {
        return { key: key, verdict: found.length ? "lookalike" : "unknown", rows: [], similar: found };
      });
    });
  }

  /* Listed handles and domains the pasted one imitates (phone numbers are not compared: they differ by chance). */
  function similar(key, meta, load) {
    var ident = key.network === "email" ? emailDomain(key.key) : key.network === "web" ? key.key
      : key.key[0] === "@" ? key.key : /\//.test(key.key) ? "@" + key.key.split("/")[1].replace(/^@/, "") : null;
    if (!ident) return Promise.resolve([]);
    var shards = lookalikeShards(lookalikeProbes(ident), meta.lookalikes);
    return Promise.all(shards.map(function (k) { return load("l-" + k); })).then(function (got) {
      var candidates = [], seen = {}, found = [];
      got.forEach(function (rows) {
        rows.forEach(function (row) {
          var listed = row[3], why, sameKind = (ident[0] === "@") === (row[2] === "handle");
          if (ident[0] === "@") {
            why = row[2] === "handle" ? alike(listed.slice(1), ident.slice(1)) : alike(domainName(listed), ident.slice(1));
          } else {
            why = row[2] === "domain" ? alikeDomain(listed, ident) : alike(listed.slice(1), domainName(ident));
          }
          if (why) candidates.push({ row: row, listed: listed, why: why, rank: sameKind ? 0 : 1 });
        });
      });
      // A handle is named after the handle it imitates, a domain after the domain; one line per company.
      candidates.sort(function (a, b) { return a.rank - b.rank; }).forEach(function (hit) {
        if (!seen[hit.row[0]]) { seen[hit.row[0]] = true; found.push(hit); }
      });
      return found;
    });
  }

  /* --- showing it -------------------------------------------------------------------------------------------- */

  function fill(template, values) {
    return template.replace(/\{([\w-]+)\}/g, function (all, key) { return has(values, key) ? values[key] : all; });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hostOf(url) { return url.replace(/^https:\/\/(www\.)?/, "").split("/")[0]; }

  /* Write the answer into `box` (an element with data-account-check).  `data`: the page's words and links
   * (search_words in generator/site/render.py); `formatDate(iso)`: a date in the page's language. */
  function show(box, found, raw, data, formatDate) {
    var t = data.words, c = data.check, address = raw.trim();
    box.textContent = "";
    box.hidden = false;
    box.setAttribute("data-verdict", found.verdict);
    box.setAttribute("data-account-result", found.verdict === "unknown" || (found.verdict === "lookalike" && !found.otherNetwork)
      ? "unlisted" : found.otherNetwork ? "other-network" : "listed");
    box.appendChild(el("h2", "dr-account__title", t.account_title));
    function link(id, label) {
      var a = el("a", "", label);
      a.href = data.companies + encodeURIComponent(id) + "/";
      return a;
    }
    function channel(kind) { return has(data.channels, kind) ? data.channels[kind] : kind; }
    found.rows.forEach(function (r) {
      var p = el("p", "dr-account__row"), values = { name: r[1], address: r[3], channel: channel(r[2]), network: channel(found.key.network || ""),
        domain: found.domain || r[3], who: has(c.source_kinds, r[6]) ? c.source_kinds[r[6]] : r[6] };
      p.setAttribute("data-account-company", r[0]);
      var sentence = found.otherNetwork ? c.other_network : found.web ? c.company_web : found.domain ? c.company_domain
        : found.verdict === "company" ? c.company : c.reported;
      if (found.web) values.address = address;
      if (found.domain) values.address = address;
      p.appendChild(document.createTextNode(fill(sentence, values) + " "));
      var source = el("span", "dr-account__source", t.account_source + ": ");
      if (/^https:\/\//.test(r[4])) {
        var a = el("a", "", hostOf(r[4]));
        a.href = r[4];
        a.rel = "nofollow noopener ugc";
        source.appendChild(a);
      }
      source.appendChild(document.createTextNode(r[5] ? " · " + fill(t.account_checked, { date: formatDate(r[5]) }) + ". " : ". "));
      p.appendChild(source);
      p.appendChild(link(r[0], fill(t.account_open, { name: r[1] })));
      box.appendChild(p);
    });
    (found.similar || []).slice(0, 3).forEach(function (hit) {
      var why = hit.why.indexOf("distance") === 0 ? "distance" : hit.why, p = el("p", "dr-account__lookalike");
      p.setAttribute("data-account-lookalike", hit.row[0]);
      p.appendChild(document.createTextNode(fill(c.lookalike, { address: address, listed: hit.listed, name: hit.row[1],
        why: has(c.why, why) ? c.why[why] : why }) + " "));
      p.appendChild(link(hit.row[0], fill(c.lookalike_link, { name: hit.row[1] })));
      box.appendChild(p);
    });
    if (found.verdict === "unknown") box.appendChild(el("p", "dr-account__none", fill(c.unknown, { address: address })));
    if (found.verdict === "unknown" || found.verdict === "lookalike") box.appendChild(el("p", "dr-account__advice", c.unknown_advice));
    else if (found.verdict === "reported" || found.domain) box.appendChild(el("p", "dr-account__advice", t.account_advice));
  }

  window.drCheck = { useTables: useTables, fold: fold, accountKey: accountKey, domainKeys: domainKeys, keyHash: keyHash,
                     skeleton: skeleton, alike: alike, alikeDomain: alikeDomain, domainName: domainName,
                     lookalikeStem: lookalikeStem, lookalikeShard: lookalikeShard, lookalikeProbes: lookalikeProbes, answer: answer, show: show };
})();
