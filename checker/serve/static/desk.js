// The review desk's one script: remembers the choices in this browser, uploads dropped or
// chosen files one request each (a few at a time, each with its own progress bar), and
// fetches the server-rendered table again while reports are being checked. No library,
// no build step; everything it talks to is this page's own origin.
"use strict";

(function () {
  const form = document.getElementById("upload");
  const drop = document.getElementById("drop");
  const input = document.getElementById("files");
  const list = document.getElementById("uploads");
  const rows = document.getElementById("rows");
  const maxBytes = Number(form.dataset.maxBytes);
  const CHOICES = ["profile", "deadline", "select", "ignore"];
  const STORE = "govlint-desk-choices";
  const AT_ONCE = 3; // uploads under way together: a large batch keeps the page responsive
  const queue = [];
  let running = 0;
  let polling = null;

  // ---- choices, remembered in this browser only
  function loadChoices() {
    let saved = {};
    try {
      saved = JSON.parse(localStorage.getItem(STORE) || "{}");
    } catch (e) {
      saved = {};
    }
    for (const name of CHOICES) {
      const field = document.getElementById(name);
      if (typeof saved[name] === "string") field.value = saved[name];
      field.addEventListener("change", saveChoices);
    }
  }
  function saveChoices() {
    const saved = {};
    for (const name of CHOICES) saved[name] = document.getElementById(name).value;
    try {
      localStorage.setItem(STORE, JSON.stringify(saved));
    } catch (e) {
      // storage refused (a private window): the choices still hold on this page
    }
  }

  // ---- uploads
  function entry(file) {
    const li = document.createElement("li");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name + " 上传进度");
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = "等待上传";
    li.append(name, bar, note);
    list.prepend(li);
    return { li, bar, note };
  }

  function add(files) {
    saveChoices();
    for (const file of files) {
      const shown = entry(file);
      if (file.size > maxBytes) {
        refuse(shown, "文件过大(" + Math.round(file.size / 1048576) + " MB):每个文件不能超过 " +
          Math.round(maxBytes / 1048576) + " MB");
        continue;
      }
      queue.push({ file, shown });
    }
    next();
  }

  function refuse(shown, reason) {
    shown.li.className = "refused";
    shown.bar.remove();
    shown.note.textContent = reason;
  }

  function next() {
    while (running < AT_ONCE && queue.length) {
      running += 1;
      send(queue.shift());
    }
  }

  function send(job) {
    const data = new FormData();
    for (const name of CHOICES) data.append(name, document.getElementById(name).value);
    data.append("file", job.file, job.file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/upload");
    xhr.setRequestHeader("Accept", "application/json");
    job.shown.note.textContent = "上传中";
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) job.shown.bar.value = Math.round((100 * e.loaded) / e.total);
    };
    xhr.onload = function () {
      let answer = {};
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (e) {
        answer = { error: xhr.status === 403 ? xhr.responseText : "服务器没有给出可读的回答(" + xhr.status + ")" };
      }
      if (answer.error) {
        refuse(job.shown, answer.error);
      } else {
        job.shown.bar.value = 100;
        const refused = (answer.files || []).filter((f) => f.reason);
        let note = "已上传,检查结果见下方报告一览";
        if ((answer.files || []).length > 1) note = "已上传:压缩包内 " + answer.files.length + " 份报告,结果见报告一览";
        if (answer.skipped) note += ",跳过 " + answer.skipped + " 个非报告文件";
        if (refused.length) note += ";" + refused.map((f) => f.name + ":" + f.reason).join(";");
        job.shown.note.textContent = note;
        job.shown.li.className = refused.length ? "refused" : "sent";
      }
      done();
    };
    xhr.onerror = xhr.onabort = function () {
      refuse(job.shown, "上传中断:与审查台的连接断开,请重试");
      done();
    };
    xhr.send(data);
  }

  function done() {
    running -= 1;
    next();
    refresh();
  }

  // ---- the table, rendered by the server
  function refresh() {
    fetch("/rows", { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        const pending = Number(response.headers.get("x-pending") || "0");
        return response.text().then(function (html) {
          if (!response.ok) {
            rows.innerHTML = "";
            const row = rows.insertRow();
            const cell = row.insertCell();
            cell.colSpan = 9;
            cell.textContent = html;
            return 0;
          }
          rows.innerHTML = html; // escaped by the server: every name and title in it is text
          return pending;
        });
      })
      .then(function (pending) {
        rows.dataset.pending = String(pending);
        schedule(pending > 0 || running > 0 || queue.length > 0);
      })
      .catch(function () {
        schedule(true);
      });
  }

  function schedule(again) {
    if (polling) clearTimeout(polling);
    polling = again ? setTimeout(refresh, 1000) : null;
  }

  // ---- drop zone: the mouse, and the file chooser (keyboard: Tab to it, Enter or Space)
  drop.addEventListener("dragover", function (e) {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", function () {
    drop.classList.remove("over");
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    add(e.dataTransfer.files);
  });
  input.addEventListener("change", function () {
    add(input.files);
    input.value = "";
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
  });
  // The chooser's label is the button; the native control stays for pages without the script.
  const label = document.querySelector("label[for=files]");
  input.hidden = true;
  label.tabIndex = 0;
  label.setAttribute("role", "button");
  label.addEventListener("keydown", function (e) {
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      input.click();
    }
  });

  // The page closed: the server deletes this session's files a minute later unless it comes back.
  window.addEventListener("pagehide", function () {
    navigator.sendBeacon("/leave");
  });

  loadChoices();
  if (Number(rows.dataset.pending) > 0) refresh();
})();
