// Passkey ceremonies (WebAuthn): the one part of signing in that needs JavaScript.
// Forms marked data-passkey="register" or "authenticate" fetch options from the server,
// ask the browser's authenticator, and post the result back as JSON (CSRF in a header).
(() => {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) {
    return;
  }
  const toBytes = (value) => {
    const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    const bytes = new Uint8Array(buffer);
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const descriptors = (list) => (list || []).map((d) => ({ ...d, id: toBytes(d.id) }));
  const creationOptions = (o) => ({
    ...o,
    challenge: toBytes(o.challenge),
    user: { ...o.user, id: toBytes(o.user.id) },
    excludeCredentials: descriptors(o.excludeCredentials),
  });
  const requestOptions = (o) => ({
    ...o,
    challenge: toBytes(o.challenge),
    allowCredentials: descriptors(o.allowCredentials),
  });
  const serialize = (credential) => {
    const response = credential.response;
    const json = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) },
    };
    if (credential.authenticatorAttachment) {
      json.authenticatorAttachment = credential.authenticatorAttachment;
    }
    if (response.attestationObject) {
      json.response.attestationObject = toText(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toText(response.authenticatorData);
      json.response.signature = toText(response.signature);
      if (response.userHandle) {
        json.response.userHandle = toText(response.userHandle);
      }
    }
    return json;
  };
  const post = (url, token, body) => fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
    body: JSON.stringify(body || {}),
  });

  document.querySelectorAll("form[data-passkey]").forEach((form) => {
    const button = form.querySelector("[data-passkey-button]");
    const status = form.querySelector("[data-passkey-status]");
    const nojs = form.querySelector("[data-passkey-nojs]");
    if (nojs) { nojs.hidden = true; }
    if (button) { button.hidden = false; }
    form.hidden = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const token = form.querySelector("input[name=csrf_token]").value;
      const nameInput = form.querySelector("input[name=name]");
      const register = form.dataset.passkey === "register";
      status.textContent = "";
      if (nameInput && !nameInput.value.trim()) {
        nameInput.setAttribute("aria-invalid", "true");
        nameInput.focus();
        status.textContent = form.dataset.nameRequired || "";
        return;
      }
      button.disabled = true;
      try {
        const optionsResponse = await post(form.dataset.optionsUrl, token);
        const options = await optionsResponse.json();
        if (!optionsResponse.ok) {
          status.textContent = options.message || "";
          return;
        }
        const credential = register
          ? await navigator.credentials.create({ publicKey: creationOptions(options) })
          : await navigator.credentials.get({ publicKey: requestOptions(options) });
        const result = await post(form.dataset.verifyUrl, token, {
          credential: serialize(credential),
          name: nameInput ? nameInput.value : "",
        });
        const answer = await result.json();
        if (result.ok && answer.redirect) {
          window.location.assign(answer.redirect);
          return;
        }
        status.textContent = answer.message || "";
      } catch (error) {
        status.textContent = form.dataset.failed || error.message;
      } finally {
        button.disabled = false;
      }
    });
  });
})();
