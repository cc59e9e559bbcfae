// Diary forms: a client-generated submission id (the server already rendered a fallback).
document.querySelectorAll("input[data-client-id]").forEach((input) => {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    input.value = window.crypto.randomUUID();
  }
});
