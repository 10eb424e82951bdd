// Several images at once in the admin's coin form (catalog/image_upload.py): files chosen or dropped
// are listed in order, each with a "what it shows" menu and a radio to make it the primary image.
// No inline script (the site's CSP): this file is loaded by CoinAdmin's Media.
(function () {
  "use strict";

  function render(box) {
    var input = box.querySelector("input[type=file]");
    var list = box.querySelector("ol.new-images");
    var template = box.querySelector("select.kind-template");
    var kindField = box.dataset.kindField;
    var primaryField = box.dataset.primaryField;
    var chosen = box.querySelector("input[name='" + primaryField + "']:checked");
    var keep = chosen ? chosen.value : "";
    list.replaceChildren();
    Array.prototype.forEach.call(input.files, function (file, index) {
      var item = document.createElement("li");
      item.className = "new-image";
      var name = document.createElement("span");
      name.className = "file-name";
      name.textContent = file.name;
      var kind = template.cloneNode(true);
      kind.hidden = false;
      kind.disabled = false;
      kind.className = "new-image-kind";
      kind.name = kindField;
      kind.setAttribute("aria-label", "What image " + (index + 1) + " shows");
      var radioLabel = document.createElement("label");
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = primaryField;
      radio.value = "new-" + index;
      radio.checked = keep === radio.value;
      radioLabel.append(radio, " primary");
      item.append(name, " ", kind, " ", radioLabel);
      list.append(item);
    });
  }

  function setUp(box) {
    var input = box.querySelector("input[type=file]");
    var zone = box.querySelector(".image-drop");
    input.addEventListener("change", function () { render(box); });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        render(box);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".image-upload").forEach(setUp);
  });
})();
