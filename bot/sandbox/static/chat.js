// The sandbox chat page: play a citizen talking to the bot through the control API.
// Everything the bot sends is rendered with DOM nodes and textContent, never as raw HTML.
"use strict";

(() => {
  const API = "/sandbox/api";
  const POLL_MS = 700;
  const STATUS_MS = 3000;
  const CAM_PHA = { latitude: 21.01, longitude: 107.29 };
  const STICKERS = ["👍", "🙏", "😊", "❤️", "👏"];
  const SAFE_LINK = /^(https?:|tg:|mailto:)/i;
  const BLOCKS = new Set(["pre", "blockquote", "expandable_blockquote"]);

  const $ = (id) => document.getElementById(id);
  const view = {
    messages: $("messages"), empty: $("empty"), typing: $("typing"), toast: $("toast"),
    keyboard: $("reply-keyboard"), form: $("send-form"), text: $("text"),
    fileInput: $("file-input"), botName: $("bot-name"), botStatus: $("bot-status"),
    identity: $("identity"), identityForm: $("identity-form"), identityLabel: $("identity-label"),
    chatId: $("chat-id"), firstName: $("first-name"),
  };

  // ---- who we are (remembered in localStorage) ----
  const randomChatId = () => 100000000 + Math.floor(Math.random() * 900000000);
  function loadIdentity() {
    let chatId = Number(localStorage.getItem("tiepdan.chatId"));
    if (!Number.isSafeInteger(chatId) || chatId <= 0) chatId = randomChatId();
    const firstName = localStorage.getItem("tiepdan.firstName") || "Công dân";
    return { chatId, firstName };
  }
  let me = loadIdentity();
  function saveIdentity(next) {
    me = next;
    localStorage.setItem("tiepdan.chatId", String(me.chatId));
    localStorage.setItem("tiepdan.firstName", me.firstName);
    view.identityLabel.textContent = `${me.firstName} · ${me.chatId}`;
    view.chatId.value = String(me.chatId);
    view.firstName.value = me.firstName;
  }

  // ---- small helpers ----
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  let toastTimer = 0;
  function toast(message, isError = false) {
    view.toast.textContent = message;
    view.toast.classList.toggle("error", isError);
    view.toast.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { view.toast.hidden = true; }, 3500);
  }
  const showError = (error) => toast(`Không gửi được: ${error.message}`, true);
  const formatTime = (unix) => new Date(unix * 1000)
    .toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" });
  function formatSize(bytes) {
    if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
    if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
    return `${bytes} B`;
  }

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    const response = await fetch(API + path, options);
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
    return data;
  }
  async function act(path, fields) {
    try {
      await api(path, { chat_id: me.chatId, first_name: me.firstName, ...fields });
      await poll();
    } catch (error) {
      showError(error);
    }
  }
  const sendText = (text) => act("/send", { text });

  // ---- Telegram entities → DOM (offsets are UTF-16 units, as JS string indices are) ----
  function entityNode(entity, text) {
    switch (entity.type) {
      case "bold": return el("strong");
      case "italic": return el("em");
      case "underline": return el("u");
      case "strikethrough": return el("s");
      case "code": return el("code");
      case "pre": return el("pre");
      case "blockquote": case "expandable_blockquote": return el("blockquote");
      case "spoiler": {
        const node = el("span", "spoiler");
        node.title = "Bấm để xem";
        node.addEventListener("click", () => node.classList.add("revealed"));
        return node;
      }
      case "text_link": case "url": {
        const href = entity.type === "url" ? text : entity.url;
        if (!SAFE_LINK.test(href || "")) return el("span");
        const link = el("a");
        link.href = href;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        return link;
      }
      case "bot_command": {
        const node = el("span", "command");
        node.addEventListener("click", () => sendText(text));
        return node;
      }
      default: return el("span");
    }
  }
  function buildFormatted(text, entities, start, end, parent) {
    let pos = start;
    let i = 0;
    while (i < entities.length) {
      const entity = entities[i];
      const from = Math.max(entity.offset, pos);
      const to = Math.min(entity.offset + entity.length, end);
      let j = i + 1;
      while (j < entities.length && entities[j].offset < to) j += 1;
      if (from < to) {
        if (from > pos) parent.append(text.slice(pos, from));
        const node = entityNode(entity, text.slice(from, to));
        buildFormatted(text, entities.slice(i + 1, j), from, to, node);
        parent.append(node);
        pos = to;
        // a block already ends its line, so the newline after it would show as a blank line
        if (BLOCKS.has(entity.type) && text[pos] === "\n" && pos < end) pos += 1;
      }
      i = j;
    }
    if (pos < end) parent.append(text.slice(pos, end));
  }
  function formatted(text, entities) {
    const node = el("div", "text");
    const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
    buildFormatted(text, sorted, 0, text.length, node);
    return node;
  }

  // ---- one message bubble ----
  function inlineKeyboard(message) {
    const rows = message.reply_markup && message.reply_markup.inline_keyboard;
    if (!rows) return null;
    const box = el("div", "inline-keyboard");
    for (const row of rows) {
      const line = el("div", "inline-row");
      for (const button of row) {
        let node;
        if (button.url && SAFE_LINK.test(button.url)) {
          node = el("a", "", `${button.text} ↗`);
          node.href = button.url;
          node.target = "_blank";
          node.rel = "noopener noreferrer";
        } else {
          node = el("button", "", button.text);
          node.type = "button";
          if (button.callback_data !== undefined) {
            node.addEventListener("click", () => act("/click", {
              message_id: message.message_id, data: button.callback_data,
            }));
          } else {
            node.disabled = true;
            node.title = "Loại nút này không có trong môi trường thử";
          }
        }
        line.append(node);
      }
      box.append(line);
    }
    return box;
  }
  function attachmentNodes(message) {
    const nodes = [];
    if (message.photo) {
      const img = el("img", "photo");
      img.src = message.photo.url;
      img.alt = "Ảnh";
      // known dimensions reserve the space; the load still re-pins a chat read at the bottom
      if (message.photo.width && message.photo.height) {
        img.width = message.photo.width;
        img.height = message.photo.height;
      }
      img.addEventListener("load", () => { if (stickToBottom) scrollToBottom(); });
      nodes.push(img);
    }
    if (message.document) {
      const link = el("a", "attachment",
        `📄 ${message.document.file_name || "Tệp đính kèm"} · ${formatSize(message.document.file_size || 0)}`);
      link.href = message.document.url;
      link.download = message.document.file_name || "tep-dinh-kem";
      nodes.push(link);
    }
    if (message.sticker) nodes.push(el("div", "sticker", message.sticker.emoji || "🖼️"));
    if (message.voice) nodes.push(el("div", "", `🎤 Tin nhắn thoại · ${message.voice.duration} giây`));
    if (message.location) {
      const { latitude, longitude } = message.location;
      nodes.push(el("div", "", `📍 Vị trí: ${latitude.toFixed(5)}, ${longitude.toFixed(5)}`));
    }
    if (message.contact) {
      nodes.push(el("div", "", `📞 ${message.contact.first_name}: ${message.contact.phone_number}`));
    }
    return nodes;
  }
  function renderMessage(message) {
    const row = el("div", `msg from-${message.from}`);
    const bubble = el("div", "bubble");
    bubble.append(...attachmentNodes(message));
    if (message.plain_text) bubble.append(formatted(message.plain_text, message.entities));
    const meta = el("div", "meta", formatTime(message.date));
    if (message.edited) meta.textContent += " · đã sửa";
    bubble.append(meta);
    row.append(bubble);
    const keyboard = inlineKeyboard(message);
    if (keyboard) row.append(keyboard);
    return row;
  }

  // ---- keeping the page in step with the chat ----
  const rendered = new Map(); // message_id → { key, node }
  let stickToBottom = true;
  const scrollToBottom = () => { view.messages.scrollTop = view.messages.scrollHeight; };
  view.messages.addEventListener("scroll", () => {
    const { scrollHeight, scrollTop, clientHeight } = view.messages;
    stickToBottom = scrollHeight - scrollTop - clientHeight < 80;
  });
  function renderMessages(messages) {
    const nearBottom = stickToBottom;
    const seen = new Set();
    let appended = false;
    for (const message of messages) {
      seen.add(message.message_id);
      const key = JSON.stringify(message);
      const known = rendered.get(message.message_id);
      if (known && known.key === key) continue;
      const node = renderMessage(message);
      if (known) {
        known.node.replaceWith(node);
      } else {
        view.messages.append(node);
        appended = true;
      }
      rendered.set(message.message_id, { key, node });
    }
    for (const [id, known] of rendered) {
      if (!seen.has(id)) {
        known.node.remove();
        rendered.delete(id);
      }
    }
    view.empty.hidden = rendered.size > 0;
    if (appended && nearBottom) scrollToBottom();
  }

  let keyboardKey = "";
  function renderReplyKeyboard(markup) {
    const key = JSON.stringify(markup);
    if (key === keyboardKey) return;
    keyboardKey = key;
    view.keyboard.replaceChildren();
    view.keyboard.hidden = !markup;
    if (!markup) return;
    for (const row of markup.keyboard) {
      const line = el("div", "reply-row");
      for (const button of row) {
        const node = el("button", "", button.text);
        node.type = "button";
        node.addEventListener("click", () => pressReplyButton(button));
        line.append(node);
      }
      view.keyboard.append(line);
    }
  }
  function pressReplyButton(button) {
    if (button.request_contact) {
      const saved = localStorage.getItem("tiepdan.phone") || "0912345678";
      const phone = window.prompt("Chia sẻ số điện thoại của bạn với Tiếp dân:", saved);
      if (!phone) return;
      localStorage.setItem("tiepdan.phone", phone.trim());
      act("/contact", { phone_number: phone.trim() });
    } else if (button.request_location) {
      const sendPoint = (point) => act("/location", point);
      if (!navigator.geolocation) {
        sendPoint(CAM_PHA);
        return;
      }
      navigator.geolocation.getCurrentPosition(
        (pos) => sendPoint({ latitude: pos.coords.latitude, longitude: pos.coords.longitude }),
        () => sendPoint(CAM_PHA),
        { timeout: 5000 },
      );
    } else {
      sendText(button.text);
    }
  }

  let lastNoticeAt = null;
  function showNotice(notice) {
    if (!notice) return;
    if (lastNoticeAt === null || notice.at <= lastNoticeAt) {
      lastNoticeAt = Math.max(lastNoticeAt || 0, notice.at);
      return; // notices from before this page loaded are not news
    }
    lastNoticeAt = notice.at;
    if (notice.show_alert) window.alert(notice.text);
    else toast(notice.text);
  }

  let pollBusy = false;
  async function poll() {
    if (pollBusy) return;
    pollBusy = true;
    try {
      const history = await api(`/history?chat_id=${me.chatId}`);
      renderMessages(history.messages);
      renderReplyKeyboard(history.keyboard);
      view.typing.hidden = !history.typing;
      showNotice(history.notice);
      if (lastNoticeAt === null) lastNoticeAt = 0;
    } catch {
      // the server may be restarting; the next tick tries again
    } finally {
      pollBusy = false;
    }
  }
  async function pollLoop() {
    await poll();
    setTimeout(pollLoop, POLL_MS);
  }
  async function checkStatus() {
    try {
      const status = await api("/status");
      view.botName.textContent = status.bot.first_name;
      view.botStatus.textContent = status.polling
        ? `@${status.bot.username} · đang trực tuyến`
        : "Bot chưa kết nối — hãy chạy bot (make run)";
      view.botStatus.className = `bot-status ${status.polling ? "online" : "offline"}`;
    } catch {
      view.botStatus.textContent = "Mất kết nối tới máy chủ thử nghiệm";
      view.botStatus.className = "bot-status offline";
    }
  }

  // ---- input ----
  function readBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
      reader.onerror = () => reject(new Error("không đọc được tệp"));
      reader.readAsDataURL(file);
    });
  }
  async function sendFile(file) {
    const caption = view.text.value.trim() || undefined;
    try {
      const content = await readBase64(file);
      const fields = { content_base64: content, file_name: file.name, caption };
      if (/^image\/(jpeg|png|gif|webp)$/.test(file.type)) {
        await act("/photo", fields);
      } else {
        await act("/document", { ...fields, mime_type: file.type || undefined });
      }
      view.text.value = "";
    } catch (error) {
      showError(error);
    }
  }

  view.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = view.text.value;
    if (!text.trim()) return;
    view.text.value = "";
    view.text.style.height = "";
    sendText(text);
  });
  view.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      view.form.requestSubmit();
    }
  });
  view.text.addEventListener("input", () => {
    view.text.style.height = "";
    view.text.style.height = `${Math.min(view.text.scrollHeight, 140)}px`;
  });
  $("attach").addEventListener("click", () => view.fileInput.click());
  view.fileInput.addEventListener("change", () => {
    const [file] = view.fileInput.files;
    view.fileInput.value = "";
    if (file) sendFile(file);
  });
  $("sticker").addEventListener("click", () => act("/sticker", {
    emoji: STICKERS[Math.floor(Math.random() * STICKERS.length)],
  }));
  $("voice").addEventListener("click", () => act("/voice", { duration: 3 }));
  document.querySelectorAll("[data-send]").forEach((node) => {
    node.addEventListener("click", () => sendText(node.dataset.send));
  });

  function switchChat(next) {
    saveIdentity(next);
    for (const known of rendered.values()) known.node.remove();
    rendered.clear();
    keyboardKey = "";
    lastNoticeAt = null;
    view.identity.open = false;
    poll();
  }
  view.identityForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const chatId = Number(view.chatId.value);
    if (!Number.isSafeInteger(chatId) || chatId <= 0) {
      toast("Mã cuộc trò chuyện phải là số nguyên dương", true);
      return;
    }
    switchChat({ chatId, firstName: view.firstName.value.trim() || "Công dân" });
  });
  $("new-chat").addEventListener("click", () => {
    switchChat({ chatId: randomChatId(), firstName: view.firstName.value.trim() || "Công dân" });
  });

  saveIdentity(me);
  pollLoop();
  checkStatus();
  setInterval(checkStatus, STATUS_MS);
  view.text.focus();
})();
