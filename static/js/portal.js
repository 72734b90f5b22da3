/*
 * Progressive enhancement only: every page reads and works without this file.
 *
 * 关怀版 (elder-friendly mode): larger text, higher contrast, more spacing, bigger targets.
 * This script is loaded in <head> without `defer`, so the class goes on <html> before the
 * first paint and a page never flashes in the small size. It turns the header link
 * "关怀版" (which, without JavaScript, enlarges the current page through CSS) into a
 * button, "关怀版" or "退出关怀版", whose choice is remembered in localStorage across pages.
 *
 * A table wider than the screen scrolls inside its .table-scroll box; such a box is made
 * focusable and named after its caption, so it can be scrolled from the keyboard too.
 *
 * For print, links in the main text get their full address (data-url), which print.css
 * shows after the link text.
 *
 * Where a page offers printing (the deputies' pages: .print-tool, which without JavaScript
 * says to use the browser's own 打印), a button that prints; in WeChat's browser, which has
 * no print and where links to deputies arrive, a note saying how to open the page elsewhere.
 */
(function () {
  "use strict";

  var KEY = "portal-care";
  var root = document.documentElement;

  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (e) {
      return false; // storage blocked (private mode, some in-app browsers): this page only
    }
  }

  function remember(on) {
    try {
      if (on) {
        window.localStorage.setItem(KEY, "1");
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (e) {
      /* not remembered; the page itself still switches */
    }
  }

  root.classList.add("js");
  var arrivedForCare = window.location.hash === "#care";
  if (arrivedForCare || remembered()) {
    root.classList.add("care");
  }

  function careSwitch() {
    var link = document.querySelector("a.care-switch");
    if (!link) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "care-switch";
    // The button names what it does, as Chinese government sites do: 关怀版 / 退出关怀版.
    var show = function () {
      button.textContent = root.classList.contains("care") ? "退出关怀版" : link.textContent;
    };
    button.addEventListener("click", function () {
      remember(root.classList.toggle("care"));
      show();
      scrollableTables();
    });
    show();
    link.parentNode.replaceChild(button, link);
    if (arrivedForCare) {
      remember(true);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function scrollableTables() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i += 1) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "表格") + "（可左右滑动）");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function printAddresses() {
    var links = document.querySelectorAll("main a[href]");
    for (var i = 0; i < links.length; i += 1) {
      var href = links[i].getAttribute("href");
      if (href.charAt(0) !== "#") {
        var address = links[i].href;
        try {
          address = decodeURI(address); // 区城管局, not %E5%8C%BA…
        } catch (e) {
          /* keep it encoded */
        }
        links[i].setAttribute("data-url", address);
      }
    }
  }

  function printTool() {
    var slot = document.querySelector(".print-tool");
    if (!slot) {
      return;
    }
    if (/MicroMessenger/i.test(window.navigator.userAgent)) {
      slot.textContent = "微信里不能直接打印：请点右上角“…”，在浏览器中打开后打印。";
      slot.className += " print-wechat";
      slot.setAttribute("role", "note");
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "print-button";
    button.textContent = "打印本页";
    button.addEventListener("click", function () {
      window.print();
    });
    slot.textContent = "";
    slot.appendChild(button);
  }

  document.addEventListener("DOMContentLoaded", function () {
    careSwitch();
    scrollableTables();
    printAddresses();
    printTool();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(scrollableTables, 150);
    });
  });
}());
