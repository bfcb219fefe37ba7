// Progressive enhancements only: every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// Live 字数 of 主要事迹, counted as the server counts it: each CJK character and punctuation mark once,
// each run of Latin letters or digits once, whitespace not at all. The server's count is authoritative.
(function () {
  function count(text) {
    var n = 0, inWord = false;
    for (var ch of text) {
      if (/\s/.test(ch)) { inWord = false; continue; }
      if (/[A-Za-z0-9]/.test(ch)) { if (!inWord) { n++; inWord = true; } continue; }
      inWord = false; n++;
    }
    return n;
  }
  document.querySelectorAll("textarea.deeds").forEach(function (area) {
    var live = area.parentNode.querySelector(".deeds-live");
    var target = +area.dataset.target, low = +area.dataset.low, high = +area.dataset.high;
    function update() {
      var n = count(area.value);
      live.textContent = "　当前 " + n + " 字";
      live.className = "deeds-live" + (n < target / 2 || n > target * 3 ? " blocking" : n < low ? " low" : n > high ? " high" : "");
    }
    area.addEventListener("input", update);
    update();
  });
})();

// Material package progress: asks the server every 1.5 s while the package is being built, then shows
// the download. Without script the page shows the state at load time and a reload updates it.
(function () {
  var box = document.getElementById("package-progress");
  if (!box || box.dataset.working !== "true") return;
  function poll() {
    fetch(box.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        document.getElementById("package-state").textContent = job.stateLabel;
        document.getElementById("package-count").textContent = job.done + " / " + job.total + " 项";
        document.getElementById("package-bar").value = job.percent;
        document.getElementById("package-note").textContent = job.note || "";
        if (job.working) { setTimeout(poll, 1500); return; }
        var wait = document.getElementById("package-wait");
        if (wait) wait.hidden = true;
        if (job.ready) {
          document.getElementById("package-kept").textContent = job.keptUntil;
          var link = document.getElementById("package-download");
          link.querySelector("a").textContent = "下载材料包（" + job.size + "）";
          link.hidden = false;
        }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();

// Buttons that print the page (recovery codes).
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// 曾获表彰: the honours on record are added to 受表彰情况 at a click (typed by hand without this file).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-fill]") : null;
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("data-fill"));
  var text = button.getAttribute("data-text");
  if (!field || !text) { return; }
  var current = field.value.trim();
  field.value = current === "" || current === "无" ? text : current + "；" + text;
  field.dispatchEvent(new Event("input"));
  button.closest(".field-offer").hidden = true;
});
