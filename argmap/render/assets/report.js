/* argmap report: link the text and the map, pan and zoom the map, explain units.
   Unit details are read from data- attributes and written with textContent only:
   user text never becomes markup. */
(function () {
  "use strict";
  var doc = document;
  var map = doc.getElementById("map");
  var svg = map ? map.querySelector("svg") : null;
  var tip = doc.getElementById("tip");
  var detail = doc.getElementById("detail");
  var texts = {};
  var nodes = {};
  var selected = null;

  doc.querySelectorAll("#text .u[data-u]").forEach(function (el) { texts[el.dataset.u] = el; });
  if (svg) svg.querySelectorAll("g.node[data-u]").forEach(function (el) { nodes[el.dataset.u] = el; });

  function line(parent, cls, text) {
    var div = doc.createElement("div");
    div.className = cls;
    div.textContent = text;
    parent.appendChild(div);
  }

  function explain(parent, uid) {
    var d = texts[uid].dataset;
    parent.textContent = "";
    line(parent, "head", d.n + "  " + d.role);
    var facts = ["confidence " + d.conf];
    if (d.ev) facts.push("evidence type: " + d.ev);
    if (d.rule) facts.push("decided by " + d.rule);
    line(parent, "why", facts.join(" · "));
    if (d.rel) line(parent, "why", d.rel);
    line(parent, "why", "cues: " + (d.cues ? d.cues.split("\n").join("; ") : "none"));
  }

  /* ---- selection ---- */
  function select(uid, from) {
    if (!texts[uid]) return;
    if (selected) {
      texts[selected].classList.remove("sel");
      texts[selected].setAttribute("aria-pressed", "false");
      if (nodes[selected]) nodes[selected].classList.remove("sel");
    }
    if (svg) svg.querySelectorAll("g.edge.near").forEach(function (e) { e.classList.remove("near"); });
    selected = uid;
    texts[uid].classList.add("sel");
    texts[uid].setAttribute("aria-pressed", "true");
    if (nodes[uid]) {
      nodes[uid].classList.add("sel");
      svg.querySelectorAll('g.edge[data-s="' + uid + '"], g.edge[data-t="' + uid + '"]')
        .forEach(function (e) { e.classList.add("near"); });
    }
    if (from !== "text") texts[uid].scrollIntoView({ block: "center", inline: "nearest" });
    if (from !== "map" && nodes[uid]) centreOn(nodes[uid]);
    if (detail) explain(detail, uid);
  }

  function unitOf(target) {
    var el = target && target.closest ? target.closest(".u[data-u], g.node[data-u]") : null;
    return el && texts[el.dataset.u] ? el : null;
  }

  /* ---- the map's view: pan and zoom by rewriting the viewBox ---- */
  var home = null, vb = null;
  if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
    var b = svg.viewBox.baseVal;
    home = { x: b.x, y: b.y, w: b.width, h: b.height };
    vb = { x: home.x, y: home.y, w: home.w, h: home.h };
  }
  function apply() { svg.setAttribute("viewBox", [vb.x, vb.y, vb.w, vb.h].join(" ")); }
  function toMap(cx, cy) {
    return new DOMPoint(cx, cy).matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoom(factor, cx, cy) {
    if (!vb) return;
    var r = map.getBoundingClientRect();
    if (cx === undefined) { cx = r.left + r.width / 2; cy = r.top + r.height / 2; }
    var p = toMap(cx, cy);
    var w = Math.min(Math.max(vb.w * factor, 120), home.w * 3);
    var f = w / vb.w;
    vb = { x: p.x - (p.x - vb.x) * f, y: p.y - (p.y - vb.y) * f, w: vb.w * f, h: vb.h * f };
    apply();
  }
  function fit() { if (vb) { vb = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); } }
  function pan(dx, dy) { if (vb) { vb.x += dx * vb.w; vb.y += dy * vb.h; apply(); } }
  function centreOn(node, keepZoom) {
    if (!vb) return;
    var r = node.getBoundingClientRect();
    var m = map.getBoundingClientRect();
    if (!keepZoom && (r.width < 150 || r.width > m.width * 0.8)) {
      zoom(r.width / Math.min(230, m.width * 0.45));
    }
    r = node.getBoundingClientRect();
    var c = toMap(r.left + r.width / 2, r.top + r.height / 2);
    var o = toMap(m.left + m.width / 2, m.top + m.height / 2);
    vb.x += c.x - o.x;
    vb.y += c.y - o.y;
    apply();
  }

  var drag = null, dragged = false;
  if (vb) {
    map.addEventListener("wheel", function (e) {
      e.preventDefault();
      zoom(Math.exp(Math.max(-100, Math.min(100, e.deltaY)) * 0.002), e.clientX, e.clientY);
    }, { passive: false });
    map.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vb: { x: vb.x, y: vb.y }, id: e.pointerId, on: false };
      dragged = false;
    });
    map.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.on && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.on) { drag.on = true; map.setPointerCapture(drag.id); map.classList.add("dragging"); }
      var scale = svg.getScreenCTM().a;
      vb.x = drag.vb.x - dx / scale;
      vb.y = drag.vb.y - dy / scale;
      dragged = true;
      apply();
    });
    var stop = function () { drag = null; map.classList.remove("dragging"); };
    map.addEventListener("pointerup", stop);
    map.addEventListener("pointercancel", stop);
    map.addEventListener("keydown", function (e) {
      if (e.target !== map) return;
      var step = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, -0.1], ArrowDown: [0, 0.1] }[e.key];
      if (step) { pan(step[0], step[1]); e.preventDefault(); }
      else if (e.key === "+" || e.key === "=") zoom(0.8);
      else if (e.key === "-" || e.key === "_") zoom(1.25);
      else if (e.key === "0") fit();
    });
  }
  doc.querySelectorAll("[data-zoom]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var kind = btn.dataset.zoom;
      if (kind === "in") zoom(0.7); else if (kind === "out") zoom(1 / 0.7); else fit();
    });
  });

  /* ---- clicks, keys and tooltips on units ---- */
  doc.addEventListener("click", function (e) {
    var go = e.target.closest ? e.target.closest("a.go[data-u]") : null;
    if (go && texts[go.dataset.u]) { e.preventDefault(); select(go.dataset.u, "link"); return; }
    var el = unitOf(e.target);
    if (!el) return;
    if (el.tagName.toLowerCase() === "g") {
      if (dragged) { dragged = false; return; }
      select(el.dataset.u, "map");
    } else {
      select(el.dataset.u, "text");
    }
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { hideTip(); return; }
    if (e.key !== "Enter" && e.key !== " ") return;
    var el = unitOf(e.target);
    if (!el || el !== e.target) return;
    e.preventDefault();
    select(el.dataset.u, el.tagName.toLowerCase() === "g" ? "map" : "text");
  });

  function showTip(el, x, y) {
    if (!tip) return;
    if (tip.hidden || tip.dataset.u !== el.dataset.u) {
      explain(tip, el.dataset.u);
      tip.dataset.u = el.dataset.u;
    }
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 18 + h > window.innerHeight ? y - h - 12 : y + 18;
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = Math.max(8, top) + "px";
  }
  function hideTip() { if (tip) tip.hidden = true; }
  doc.addEventListener("mouseover", function (e) {
    var el = unitOf(e.target);
    if (el && !drag) showTip(el, e.clientX, e.clientY); else if (!el) hideTip();
  });
  doc.addEventListener("mousemove", function (e) {
    if (tip && !tip.hidden && unitOf(e.target)) showTip(unitOf(e.target), e.clientX, e.clientY);
  });
  doc.addEventListener("focusin", function (e) {
    var el = unitOf(e.target);
    if (el && el === e.target) {
      var r = el.getBoundingClientRect(), m = map.getBoundingClientRect();
      if (el.tagName.toLowerCase() === "g" &&
          (r.left < m.left || r.right > m.right || r.top < m.top || r.bottom > m.bottom)) {
        centreOn(el, true);  /* keyboard focus never lands off-screen */
        r = el.getBoundingClientRect();
      }
      showTip(el, r.left, r.bottom);
    } else hideTip();
  });
  doc.addEventListener("focusout", hideTip);

  window.addEventListener("beforeprint", fit);
  var hash = /^#t-(u[0-9]+)$/.exec(window.location.hash);
  if (hash) select(hash[1], "link");
})();
