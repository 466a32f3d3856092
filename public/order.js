/*
 * Order entry: a small point-of-sale form. Submits POST /v1/restaurants/{rid}/orders with an
 * Idempotency-Key per submission; retrying the same submission (after a network error or a 5xx,
 * when it is unknown whether the order was written) reuses the key, so it is never placed twice.
 */
(function () {
  "use strict";
  const CF = window.CounterFire;
  const MAX_ITEMS = 50;
  const form = document.getElementById("order-form");
  const lines = document.getElementById("lines");
  const template = document.getElementById("line-template");
  const submit = document.getElementById("submit");
  const restaurantInput = document.getElementById("restaurant");

  const query = CF.params();
  if (query.get("restaurant")) restaurantInput.value = query.get("restaurant");

  // The submission in flight or last unsettled: {restaurant, body, key}. Settled (cleared) once the
  // server gave a definite answer.
  let unsettled = null;
  const debug = { keys: [], responses: [] };
  window.__order = debug;

  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    // Not a secure context (e.g. a tablet on http://<lan address>): getRandomValues still works.
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function addLine(focus) {
    if (lines.children.length >= MAX_ITEMS) return;
    const node = template.content.firstElementChild.cloneNode(true);
    node.querySelector(".remove-line").addEventListener("click", () => {
      if (lines.children.length > 1) node.remove();
      refresh();
    });
    lines.append(node);
    refresh();
    if (focus) node.querySelector(".item-name").focus();
  }

  function refresh() {
    const count = lines.children.length;
    for (const button of lines.querySelectorAll(".remove-line")) button.disabled = count <= 1;
    document.getElementById("add-line").disabled = count >= MAX_ITEMS;
    const rid = restaurantInput.value.trim() || "demo";
    document.getElementById("kds-link").href = "/kds?" + new URLSearchParams({ restaurant: rid });
  }

  function payload() {
    const items = [];
    for (const line of lines.children) {
      const name = line.querySelector(".item-name").value.trim();
      const quantityText = line.querySelector(".item-quantity").value.trim();
      const notes = line.querySelector(".item-notes").value.trim();
      if (!name && !notes && (quantityText === "" || quantityText === "1") && lines.children.length > 1) continue;
      const quantity = /^-?\d+$/.test(quantityText) ? Number(quantityText) : quantityText;
      const item = { name: name, quantity: quantity };
      if (notes) item.notes = notes;
      items.push(item);
    }
    const body = { items: items };
    const customer = document.getElementById("customer").value.trim();
    if (customer) body.customer_name = customer;
    return body;
  }

  function showError(error) {
    document.getElementById("result").hidden = true;
    const box = document.getElementById("error");
    box.hidden = false;
    box.dataset.code = error.code;
    document.getElementById("error-title").textContent = error.retry
      ? "Not sure the order went through. Press Retry: it will not be placed twice."
      : "The order was not placed.";
    document.getElementById("error-code").textContent = error.code;
    document.getElementById("error-message").textContent = error.message;
  }

  function showResult(body) {
    document.getElementById("error").hidden = true;
    const box = document.getElementById("result");
    box.hidden = false;
    box.dataset.orderId = body.order.id;
    document.getElementById("result-number").textContent = "#" + body.order.number;
    const link = document.getElementById("result-link");
    link.href = body.tracker_url;
  }

  function resetForm() {
    lines.replaceChildren();
    addLine(false);
    document.getElementById("customer").value = "";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const restaurant = restaurantInput.value.trim();
    const body = JSON.stringify(payload());
    const key = unsettled && unsettled.restaurant === restaurant && unsettled.body === body ? unsettled.key : newKey();
    unsettled = { restaurant: restaurant, body: body, key: key };
    debug.keys.push(key);
    submit.disabled = true;
    submit.textContent = "Sending…";
    try {
      const response = await fetch("/v1/restaurants/" + encodeURIComponent(restaurant) + "/orders", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": key },
        body: body,
      });
      debug.responses.push(response.status);
      if (response.status === 201 || response.status === 200) {
        unsettled = null;
        showResult(await response.json());
        resetForm();
      } else {
        const error = await CF.apiError(response);
        // A 5xx may have written the order: keep the key for the retry. A 4xx is definite.
        error.retry = response.status >= 500;
        if (!error.retry) unsettled = null;
        showError(error);
      }
    } catch (_) {
      debug.responses.push(0);
      showError({ code: "network_error", message: "The server could not be reached.", retry: true });
    } finally {
      submit.disabled = false;
      submit.textContent = unsettled ? "Retry" : "Send to kitchen";
    }
  });

  document.getElementById("add-line").addEventListener("click", () => addLine(true));
  document.getElementById("new-order").addEventListener("click", () => {
    document.getElementById("result").hidden = true;
    lines.querySelector(".item-name").focus();
  });
  restaurantInput.addEventListener("input", refresh);
  addLine(false);
})();
