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
