// Warns a signed-in person before their session ends, and lets them stay signed in with one
// button (WCAG 2.2.1 Timing Adjustable: at least 20 seconds to respond, a simple action).
//
// The page carries the timings and addresses on
//   <div data-module="ras-session-timeout" data-session-timeout-seconds data-session-warning-seconds
//        data-keep-alive-url data-timed-out-url data-csrf-token> <dialog>…</dialog> </div>
// Every page load refreshes the session on the server, so the countdown starts when the page
// loads. Pages open in other tabs share the time of the latest refresh through localStorage, so
// one tab never signs out a person who is busy in another. Answers are saved when they are given,
// so nothing is lost when a session ends.

const STORAGE_KEY = "ras-session-refreshed-at";
const TICK_MILLISECONDS = 1000;

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

function shareRefresh(time) {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(time));
  } catch {
    // Storage can be switched off; each tab then keeps its own time.
  }
}

export function initSessionTimeout(root) {
  const timeoutSeconds = Number(root.dataset.sessionTimeoutSeconds);
  const warningSeconds = Math.min(Number(root.dataset.sessionWarningSeconds), timeoutSeconds);
  const keepAliveUrl = root.dataset.keepAliveUrl;
  const timedOutUrl = root.dataset.timedOutUrl;
  const csrfToken = root.dataset.csrfToken;
  const dialog = root.querySelector("dialog");
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announcement = dialog.querySelector("[data-timeout-announcement]");
  const stayButton = dialog.querySelector("[data-timeout-stay]");

  let refreshedAt = Date.now();
  let returnFocusTo = null;
  let lastSpoken = "";
  let busy = false;
  let finished = false;

  const endsAt = () => refreshedAt + timeoutSeconds * 1000;
  const warnsAt = () => endsAt() - warningSeconds * 1000;
  const secondsLeft = () => Math.max(0, Math.ceil((endsAt() - Date.now()) / 1000));

  function showCountdown() {
    const seconds = secondsLeft();
    const words = describe(seconds);
    countdown.textContent = words;
    // Speak when the words change by the minute, and near the end; not every second.
    const worthSaying = seconds >= 60 || seconds === 30 || seconds === 10;
    if (worthSaying && words !== lastSpoken) {
      announcement.textContent = `We will sign you out in ${words}.`;
      lastSpoken = words;
    }
  }

  function openWarning() {
    returnFocusTo = document.activeElement;
    lastSpoken = "";
    showCountdown();
    dialog.showModal();
    stayButton.focus();
  }

  function closeWarning() {
    if (!dialog.open) {
      return;
    }
    dialog.close();
    announcement.textContent = "";
    if (returnFocusTo && document.contains(returnFocusTo)) {
      returnFocusTo.focus();
    }
  }

  async function signOut() {
    finished = true;
    try {
      await fetch(timedOutUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
    } catch {
      // The page below says what happened either way; the session ends on the server by itself.
    }
    window.location.assign(timedOutUrl);
  }

  async function staySignedIn() {
    if (busy || finished) {
      return;
    }
    busy = true;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
      });
      if (response.status === 204) {
        refreshedAt = Date.now();
        shareRefresh(refreshedAt);
        closeWarning();
      } else {
        await signOut();
      }
    } catch {
      announcement.textContent = "We could not reach the service. Try again.";
    } finally {
      busy = false;
    }
  }

  function tick() {
    if (finished) {
      return;
    }
    const now = Date.now();
    if (now >= endsAt()) {
      signOut();
    } else if (now >= warnsAt()) {
      if (!dialog.open) {
        openWarning();
      }
      showCountdown();
    } else if (dialog.open) {
      closeWarning();
    }
  }

  stayButton.addEventListener("click", staySignedIn);
  // Escape asks to close the warning: that means "stay signed in", never a silent sign-out.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    staySignedIn();
  });
  window.addEventListener("storage", (event) => {
    const shared = Number(event.newValue);
    if (event.key === STORAGE_KEY && shared > refreshedAt) {
      refreshedAt = shared;
      tick();
    }
  });
  document.addEventListener("visibilitychange", tick);

  shareRefresh(refreshedAt);
  window.setInterval(tick, TICK_MILLISECONDS);
}

const root = document.querySelector("[data-module='ras-session-timeout']");
if (root && typeof HTMLDialogElement === "function") {
  initSessionTimeout(root);
}
