// The dashboard's one door to the API: the same bearer tokens as every other client.
// The token lives in this browser's localStorage (the login form or a #token= fragment puts it
// there); it is sent only as an Authorization header, never in a URL.

const TOKEN_KEY = "taskpilot.token";

export function token() {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value.trim());
  else localStorage.removeItem(TOKEN_KEY);
}

/** An API error: the problem document (RFC 9457 with code, requestId, errors) and the status. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.code = this.problem.code || `HTTP_${status}`;
  }
}

/** Fires when the token is refused, so the app can show the login form. */
export const unauthorized = new EventTarget();

/**
 * A 401 signs out only when it answered the token in use: a late answer to a call made with an
 * earlier token (or none) must not throw away the one just signed in with.
 */
function refused(sent) {
  if (sent && sent === token()) unauthorized.dispatchEvent(new Event("unauthorized"));
}

function headers(extra = {}) {
  const h = { Accept: "application/json", ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** The error of a refused answer (signing out when it refused the token in use). */
async function failure(response, sent) {
  let problem;
  try {
    problem = await response.json();
  } catch {
    problem = { title: response.statusText, status: response.status };
  }
  if (response.status === 401) refused(sent);
  const error = new ApiError(response.status, problem);
  error.retryAfter = Number(response.headers.get("Retry-After")) || 0;
  return error;
}

/** Calls the API; answers the parsed JSON (or text for text/plain), throws ApiError otherwise. */
export async function call(method, path, body) {
  const sent = token();
  const init = { method, headers: headers() };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { title: "The server did not answer", detail: String(e), code: "NETWORK" });
  }
  if (!response.ok) throw await failure(response, sent);
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

export const get = (path) => call("GET", path);
export const post = (path, body = {}) => call("POST", path, body);
export const put = (path, body) => call("PUT", path, body);
export const del = (path) => call("DELETE", path);

/**
 * Follows a text/event-stream with the bearer token (EventSource cannot send headers, so this
 * reads the stream with fetch). Reconnects after a drop with Last-Event-ID, so nothing is missed
 * and nothing comes twice. onEvent(type, data, id). Answers a function that stops it.
 */
export function stream(
  path,
  onEvent,
  { onState = () => {}, onEnd = () => {}, finished = () => false } = {},
) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;
  let delay = 500;

  function dispatch(event) {
    // A keep-alive comment may come with an empty data line: not an event.
    if (!event.data.length || event.data.join("") === "") return;
    if (event.id !== null) lastId = event.id;
    try {
      onEvent(event.type, event.data.join("\n"), event.id);
    } catch (e) {
      // A page's bad handling of one event must not end (or leak) the connection.
      console.warn("event handler failed", e);
    }
  }

  async function once() {
    const sent = token();
    const h = headers({ Accept: "text/event-stream" });
    if (lastId) h["Last-Event-ID"] = lastId;
    const response = await fetch(path, { headers: h, signal: controller.signal, cache: "no-store" });
    if (!response.ok) throw await failure(response, sent);
    delay = 500;
    onState("live");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      let buffer = "";
      let event = { type: "message", data: [], id: null };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (;;) {
          const newline = buffer.search(/\r\n|\r|\n/);
          // A "\r" at the end may be the first half of "\r\n": wait for the next chunk.
          if (newline < 0 || (buffer[newline] === "\r" && newline === buffer.length - 1)) break;
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
          if (line === "") {
            dispatch(event);
            event = { type: "message", data: [], id: null };
            continue;
          }
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let content = colon < 0 ? "" : line.slice(colon + 1);
          if (content.startsWith(" ")) content = content.slice(1);
          if (field === "event") event.type = content;
          else if (field === "data") event.data.push(content);
          else if (field === "id") event.id = content;
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  (async () => {
    while (!stopped) {
      let wait = delay;
      try {
        await once();
        if (stopped) return;
        // A stream ends when its task has ended; any other end is a dropped connection.
        if (finished()) {
          onState("ended");
          onEnd();
          return;
        }
        onState("reconnecting");
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
          onState("failed", e);
          return;
        }
        if (e.retryAfter) wait = Math.max(wait, e.retryAfter * 1000);
        onState("reconnecting", e);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(delay * 2, 10000);
    }
  })();

  return () => {
    stopped = true;
    controller.abort();
  };
}
