// Warga web chat: Rasa REST channel for messages, server-sent events for replies that come later.
// Who the visitor is comes from the server (an HttpOnly session cookie); the page never chooses it.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), buttons = $("buttons"), input = $("input"), notice = $("notice");
  // Indonesian first; the page's own labels switch with ?lang=en, replies follow what the resident writes.
  var lang = /[?&]lang=en\b/.test(location.search) ? "en" : "id";
  var texts = {};

  var sender = "";  // set from GET /webhooks/rest/session
  var cursor = "0";  // the last item of the conversation shown: the push stream continues after it
  var photoMax = 5 * 1024 * 1024;  // the server's limit comes with the session

  function t(key, fallback) { return texts[key] || fallback; }

  // The bot's texts mark bold as *words* (WhatsApp's markup). The page shows it as bold and keeps line
  // breaks (CSS pre-wrap), building text nodes only: nothing in a message is ever parsed as HTML.
  var BOLD = /\*([^*\n]{1,120})\*/g;

  function fill(element, text) {
    var at = 0, match;
    BOLD.lastIndex = 0;
    while ((match = BOLD.exec(text)) !== null) {
      if (match.index > at) element.appendChild(document.createTextNode(text.slice(at, match.index)));
      var strong = document.createElement("strong");
      strong.textContent = match[1];
      element.appendChild(strong);
      at = match.index + match[0].length;
    }
    if (at < text.length) element.appendChild(document.createTextNode(text.slice(at)));
  }

  function add(who, text, image) {
    var li = document.createElement("li");
    li.className = "msg msg--" + who;
    if (who === "bot") fill(li, text || ""); else li.textContent = text || "";
    if (image) { var img = document.createElement("img"); img.src = image; img.alt = ""; li.appendChild(img); }
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }

  function showButtons(list) {
    buttons.innerHTML = "";
    (list || []).forEach(function (b) {
      var btn = document.createElement("button");
      btn.type = "button"; btn.textContent = b.title;
      btn.addEventListener("click", function () { send(b.payload, b.title); });
      buttons.appendChild(btn);
    });
  }

  function render(replies) {
    var last = null;
    replies.forEach(function (r) { add("bot", r.text, r.image); last = r; });
    if (last) showButtons(last.buttons);
  }

  // A refusal the server explains (a limit, a sign-in needed) is shown as the bot's answer.
  function answer(r) {
    if (r.ok) return r.json();
    return r.json().catch(function () { return null; }).then(function (data) {
      if (Array.isArray(data)) return data;
      if (data && data.error) return [{ text: data.error }];
      throw new Error(r.status);
    });
  }

  function post(body) {
    return fetch("/webhooks/rest/webhook", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(answer);
  }

  function send(payload, shown, metadata) {
    if (!payload && !metadata) return;
    add("me", shown || payload);
    showButtons([]);
    notice.hidden = true;
    var body = { message: payload || "" };
    if (metadata) body.metadata = metadata;
    return post(body).then(render).catch(function () {
      notice.textContent = t("web_error", "Maaf, pesan belum terkirim. Silakan coba lagi."); notice.hidden = false;
    });
  }

  $("form").addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });

  $("photo").addEventListener("change", function () {
    var file = this.files[0];
    if (!file) return;
    if (file.size > photoMax) {  // say what to do before sending megabytes the server will refuse
      add("bot", t("web_photo_too_large", "Foto terlalu besar.").replace("{limit}",
        String(Math.round(photoMax / 104857.6) / 10)));
      this.value = "";
      return;
    }
    var form = new FormData();
    form.append("caption", input.value.trim()); form.append("file", file);
    input.value = "";
    add("me", "📷 " + file.name);
    fetch("/webhooks/rest/upload", { method: "POST", credentials: "same-origin", body: form })
      .then(answer)
      .then(render)
      .catch(function () { notice.textContent = t("web_error", "Maaf, foto belum terkirim."); notice.hidden = false; });
    this.value = "";
  });

  $("locate").addEventListener("click", function () {
    if (!navigator.geolocation) { add("bot", t("web_location_denied", "")); return; }
    navigator.geolocation.getCurrentPosition(function (pos) {
      send("", "📍 " + pos.coords.latitude.toFixed(5) + ", " + pos.coords.longitude.toFixed(5),
        { location: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } });
    }, function () { add("bot", t("web_location_denied", "")); });
  });

  function listen() {
    var source = new EventSource("/webhooks/rest/stream?after=" + encodeURIComponent(cursor));
    source.addEventListener("reply", function (e) {
      cursor = e.lastEventId;
      var reply = JSON.parse(e.data);
      render([reply]);
    });
    source.addEventListener("signed_out", function () {
      source.close();
      notice.textContent = t("web_signed_out", ""); notice.hidden = false;
    });
    source.onerror = function () { notice.textContent = t("web_offline", ""); notice.hidden = !texts.web_offline; };
    source.onopen = function () { notice.hidden = true; };
  }

  fetch("/webchat/texts?lang=" + lang).then(function (r) { return r.json(); }).then(function (data) {
    texts = data;
    document.title = t("web_title", document.title);
    $("title").textContent = t("web_title", "");
    $("subtitle").textContent = t("web_subtitle", "");
    input.placeholder = t("web_placeholder", input.placeholder);
    $("send").textContent = t("web_send", "Kirim");
    $("photo-label").title = t("web_photo", ""); $("locate").title = t("web_location", "");
    $("privacy").textContent = t("web_privacy_note", "");
  }).catch(function () {}).then(function () {
    // The server issues the session (cookie) if there is none yet.
    return fetch("/webhooks/rest/session", { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (session) { sender = session.sender || ""; photoMax = session.photo_max_bytes || photoMax; });
  }).catch(function () {}).then(restore).then(function (restored) {
    listen();
    // A new conversation starts with the greeting; a restored one continues where it was (the greeting
    // would otherwise answer the question left open, e.g. "Di mana lokasinya?").
    if (!restored && sessionStorage.getItem("warga.greeted") !== sender) {
      sessionStorage.setItem("warga.greeted", sender);
      post({ message: t("web_start", "halo"), metadata: { greeting: true } }).then(render).catch(function () {});
    }
  });

  // The conversation so far, from the server (this session's own): shown again after a reload.
  function restore() {
    return fetch("/webhooks/rest/history", { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (data) {
      var items = data.items || [];
      items.forEach(function (item) { add(item.from === "me" ? "me" : "bot", item.text, item.image); });
      var last = items[items.length - 1];
      if (last && last.from !== "me") showButtons(last.buttons);
      cursor = String(data.last || 0);
      return items.length > 0;
    }).catch(function () { return false; });
  }
})();
