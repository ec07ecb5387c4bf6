/* Chat page: socket.io connection to Rasa, message log, quick replies, sources and feedback.
 * Message text is only ever put into the page with textContent; links are <a> elements built
 * here for http(s) URLs only; nothing is ever parsed as HTML. */
(function () {
  "use strict";

  var SESSION_KEY = "ahad-chat-session";
  var GREETING = "/greet";
  var ANSWER_TIMEOUT_MS = 20000;
  var CONNECTED = "Verbonden met de chatbot.";
  var RECONNECTING = "Even geduld: de chatbot start opnieuw op. Je bericht wordt verstuurd zodra hij terug is.";
  var SENT_AFTER_RECONNECT = "Verbonden met de chatbot. Je bericht is verstuurd.";
  var URL_RE = /https?:\/\/[^\s<>"']+/g;
  var THUMB_PATH = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06" +
    "L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05" +
    "c.09-.23.14-.47.14-.73v-2z";
  var TRAILING_PUNCTUATION = /[.,;:!?)\]}'"]+$/;

  var meta = document.querySelector('meta[name="rasa-url"]');
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var statusLine = document.getElementById("chat-status");
  if (!meta || !log || !form || !input) { return; }

  var sessionId = loadSessionId();
  var socket = null;
  var confirmed = false;      // session_confirm received on the current connection
  var queue = [];             // {payload, typed} waiting for session_confirm
  var inFlight = [];          // queue items sent on this connection that got no bot message yet
  var reconnecting = false;   // the connection was lost and session_confirm has not come back
  var turn = newTurn("");     // the current question and the bot messages answering it
  var typing = null;          // the "typing" indicator element
  var answerTimer = null;
  var counter = 0;

  // --------------------------------------------------------------------------- helpers
  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function loadSessionId() {
    var id = null;
    try { id = window.sessionStorage.getItem(SESSION_KEY); } catch (e) { id = null; }
    if (!id || !/^[a-f0-9]{32}$/.test(id)) {
      id = randomId();
      try { window.sessionStorage.setItem(SESSION_KEY, id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function safeHttpUrl(value) {
    if (typeof value !== "string") { return null; }
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(href, text) {
    var a = el("a", null, text);
    a.href = href;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    return a;
  }

  /* Text with its http(s) URLs as links; everything else as text nodes. */
  function appendLinkified(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var raw = match[0];
      var trailing = raw.match(TRAILING_PUNCTUATION);
      var url = trailing ? raw.slice(0, raw.length - trailing[0].length) : raw;
      var href = safeHttpUrl(url);
      if (!href) { continue; }
      if (match.index > last) {
        parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      }
      parent.appendChild(link(href, url));
      last = match.index + url.length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  /* One polite live region: the connection state, and the "even geduld" notice while Rasa is away. */
  function setStatus(text, notice) {
    // Rewriting the same text would make some screen readers repeat it at every reconnect try.
    if (!statusLine || statusLine.textContent === text) { return; }
    statusLine.textContent = text;
    statusLine.classList.toggle("chat-status-notice", Boolean(notice));
  }

  function newTurn(question) {
    return { question: question, texts: [] };
  }

  // --------------------------------------------------------------------------- drawing
  function addMessage(who, text) {
    var item = el("div", "msg msg-" + who);
    item.appendChild(el("span", "visually-hidden", who === "user" ? "Jij: " : "Chatbot: "));
    var body = el("p", "msg-text");
    if (who === "bot") { appendLinkified(body, text); } else { body.textContent = text; }
    item.appendChild(body);
    log.appendChild(item);
    scrollToEnd();
    return item;
  }

  function addQuickReplies(buttons) {
    var valid = buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    });
    if (!valid.length) { return; }
    var group = el("div", "quick-replies");
    var chosen = false;
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Kies een antwoord");
    valid.forEach(function (b) {
      var button = el("button", "quick-reply", b.title);
      button.type = "button";
      button.addEventListener("click", function () {
        if (chosen) { return; }
        chosen = true;
        // aria-disabled, not disabled: the pressed button keeps keyboard focus, so Tab goes on
        // to the answer that follows it.
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (other) {
          other.setAttribute("aria-disabled", "true");
        });
        button.classList.add("chosen");
        send(b.payload, b.title);
      });
      group.appendChild(button);
    });
    log.appendChild(group);
    scrollToEnd();
  }

  function addSources(measures) {
    var items = measures.filter(function (m) { return m && safeHttpUrl(m.source_url); });
    if (!items.length) { return; }
    var box = el("div", "sources");
    box.appendChild(el("span", "sources-label", "Bron:"));
    var list = el("ul", "sources-list");
    items.forEach(function (m) {
      var title = m.instrument_title || m.title || m.source_url;
      var li = el("li");
      var href = safeHttpUrl(m.source_url);
      li.appendChild(link(href, title));
      li.appendChild(document.createTextNode(" (" + new URL(href).hostname + ")"));
      list.appendChild(li);
    });
    box.appendChild(list);
    log.appendChild(box);
  }

  /* A thumb icon as inline SVG (path: Material Icons "thumb_up", Apache-2.0): no emoji font needed. */
  function thumbIcon(down) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "thumb-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", THUMB_PATH);
    path.setAttribute("fill", "currentColor");
    if (down) { path.setAttribute("transform", "rotate(180 12 12)"); }
    svg.appendChild(path);
    return svg;
  }

  function thumb(className, down, label) {
    var button = el("button", "thumb " + className);
    button.type = "button";
    button.appendChild(thumbIcon(down));
    button.appendChild(document.createTextNode(" " + label));
    return button;
  }

  function addFeedback(measures, aspect) {
    var question = turn.question;
    var answer = turn.texts.join("\n\n");
    var primary = measures.length && typeof measures[0].id === "string" ? measures[0].id : null;
    var id = "fb-" + (++counter);

    // Question, optional comment, then the thumbs that send both: reading order, focus order
    // and the order of what a person does are the same.
    var box = el("div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-labelledby", id + "-question");
    var questionLine = el("p", "feedback-question", "Was dit antwoord nuttig?");
    questionLine.id = id + "-question";
    box.appendChild(questionLine);

    var details = el("details", "feedback-comment");
    details.appendChild(el("summary", null, "Opmerking toevoegen (niet verplicht)"));
    var label = el("label", null, "Je opmerking (geen persoonlijke gegevens)");
    label.htmlFor = id;
    var comment = el("textarea");
    comment.id = id;
    comment.rows = 2;
    comment.maxLength = 1000;
    comment.setAttribute("aria-describedby", id + "-hint");
    var hint = el("p", "feedback-hint", "Kies daarna Nuttig of Niet nuttig om te versturen.");
    hint.id = id + "-hint";
    details.appendChild(label);
    details.appendChild(comment);
    details.appendChild(hint);
    box.appendChild(details);

    var row = el("div", "feedback-row");
    var up = thumb("thumb-up", false, "Nuttig");
    var down = thumb("thumb-down", true, "Niet nuttig");
    row.appendChild(up);
    row.appendChild(down);
    box.appendChild(row);

    var result = el("p", "feedback-result");
    result.setAttribute("role", "status");
    result.tabIndex = -1;
    box.appendChild(result);

    function submit(rating) {
      up.disabled = true;
      down.disabled = true;
      comment.disabled = true;
      result.textContent = "Versturen…";
      var body = {
        sender_id: sessionId, question: question || null, answer: answer || null,
        measure_id: primary, rating: rating, comment: comment.value.trim() || null
      };
      window.fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin"
      }).then(function (response) {
        if (response.status !== 201) { throw new Error("HTTP " + response.status); }
        (rating > 0 ? up : down).classList.add("chosen");
        details.hidden = true;
        result.textContent = "Bedankt voor je feedback";
        result.focus({ preventScroll: true });
      }).catch(function () {
        up.disabled = false;
        down.disabled = false;
        comment.disabled = false;
        result.textContent = "Je feedback kon niet worden verstuurd. Probeer het later opnieuw.";
      });
    }
    up.addEventListener("click", function () { submit(1); });
    down.addEventListener("click", function () { submit(-1); });
    box.dataset.aspect = typeof aspect === "string" ? aspect : "";
    log.appendChild(box);
    scrollToEnd();
  }

  function showTyping(on) {
    if (on && !typing) {
      typing = el("p", "typing", "De chatbot typt…");
      typing.setAttribute("aria-hidden", "true");
      log.appendChild(typing);
      scrollToEnd();
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }

  function waitForAnswer() {
    showTyping(true);
    window.clearTimeout(answerTimer);
    answerTimer = window.setTimeout(function () {
      showTyping(false);
      addMessage("bot", "Ik krijg nu geen antwoord. Probeer het zo opnieuw, of bel VDAB gratis op 0800 30 700.");
    }, ANSWER_TIMEOUT_MS);
  }

  function stopWaiting() {
    window.clearTimeout(answerTimer);
    showTyping(false);
  }

  // --------------------------------------------------------------------------- bot messages
  function onBotMessage(message) {
    if (!message || typeof message !== "object") { return; }
    inFlight = [];
    stopWaiting();
    var custom = (message.data && typeof message.data === "object") ? message.data : message;
    if (Array.isArray(custom.measures)) {
      addSources(custom.measures);
      addFeedback(custom.measures, custom.aspect);
      return;
    }
    if (typeof message.text === "string" && message.text) {
      turn.texts.push(message.text);
      addMessage("bot", message.text);
    }
    var buttons = message.quick_replies || message.buttons;
    if (Array.isArray(buttons)) { addQuickReplies(buttons); }
  }

  // --------------------------------------------------------------------------- sending
  /* Sends what waits once Rasa confirmed the session on this connection; the answer timer
   * starts here, so time spent waiting for a reconnect does not count. */
  function flush() {
    var sent = 0;
    while (confirmed && socket && socket.connected && queue.length) {
      var item = queue.shift();
      socket.emit("user_uttered", item.payload);
      inFlight.push(item);
      sent += 1;
    }
    if (sent) { waitForAnswer(); }
  }

  function send(payload, shown) {
    if (shown !== null) {
      addMessage("user", shown);
      turn = newTurn(shown);
    }
    queue.push({ payload: { message: payload, session_id: sessionId }, typed: shown !== null });
    flush();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { input.focus(); return; }
    input.value = "";
    send(text, text);
    input.focus();
  });

  // --------------------------------------------------------------------------- connection
  /* The connection dropped or could not be made (Rasa restarting): what was sent but not
   * answered goes again after the reconnect, before what was typed meanwhile. So a question
   * whose answer was lost in the drop may be answered twice, but none goes unanswered. */
  function onConnectionLost() {
    confirmed = false;
    reconnecting = true;
    queue = inFlight.concat(queue);
    inFlight = [];
    stopWaiting();
    setStatus(RECONNECTING, true);
  }

  function onSessionConfirmed() {
    confirmed = true;
    var typedMeanwhile = reconnecting && queue.some(function (item) { return item.typed; });
    reconnecting = false;
    flush();
    setStatus(typedMeanwhile ? SENT_AFTER_RECONNECT : CONNECTED, false);
  }

  function connect() {
    if (typeof window.io !== "function") {
      setStatus("De chat kon niet laden. Bel VDAB gratis op 0800 30 700.", true);
      return;
    }
    var options = { transports: ["websocket", "polling"], tryAllTransports: true, reconnection: true };
    // An empty rasa-url means Rasa's /socket.io/ is served on this page's own origin.
    socket = meta.content ? window.io(meta.content, options) : window.io(options);
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", onSessionConfirmed);
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", onConnectionLost);
    socket.on("connect_error", onConnectionLost);
  }

  connect();
  send(GREETING, null);
}());
