// The dashboard: a hash router over the pages, and the login.
import { ApiError, get, setToken, token, unauthorized } from "./api.js";
import { clear, confirmed, h, problemBox } from "./dom.js";
import * as tasks from "./tasks.js";
import * as task from "./task.js";
import * as create from "./create.js";
import * as schedules from "./schedules.js";
import * as fleet from "./fleet.js";
import * as costs from "./costs.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");
let cleanup = null;
export let me = null;

/**
 * A #token=… fragment (dev's one-click link) signs in and is wiped from the address bar at once.
 * Signed in already with another token, the person is asked first: a link someone sent must not
 * switch them silently into another account (whose tasks would then get what they type).
 */
async function takeTokenFromFragment() {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match) return;
  const offered = decodeURIComponent(match[1]).trim();
  history.replaceState(null, "", `${location.pathname}${location.search}#/tasks`);
  const current = token();
  if (!current || current === offered) {
    if (current !== offered) me = null;
    setToken(offered);
    return;
  }
  let who;
  try {
    const response = await fetch("/api/v1/me", { headers: { Authorization: `Bearer ${offered}`, Accept: "application/json" } });
    if (!response.ok) return;
    who = await response.json();
  } catch {
    return;
  }
  const message = `This link signs you in as ${who.owner} (${who.role})${me ? `, instead of ${me.owner}` : ""}.`;
  if (await confirmed(message, `Sign in as ${who.owner}`)) {
    setToken(offered);
    me = null;
  }
}

function signOut() {
  if (cleanup) cleanup();
  cleanup = null;
  setToken(null);
  me = null;
}

function parse() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = hash.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(query) };
}

function loginPage(reason) {
  nav.hidden = true;
  clear(who);
  const input = h("input", {
    id: "login-token",
    type: "password",
    name: "token",
    autocomplete: "current-password",
    placeholder: "tp_…",
    required: true,
  });
  const message = h("div", { id: "login-error" });
  const form = h(
    "form",
    {
      id: "login-form",
      class: "card narrow",
      onsubmit: async (event) => {
        event.preventDefault();
        setToken(input.value);
        try {
          await signIn();
          if (location.hash === "#/tasks") route();
          else location.hash = "#/tasks";
        } catch (e) {
          setToken(null);
          clear(message, problemBox(e));
        }
      },
    },
    h("h1", {}, "Sign in"),
    h(
      "p",
      { class: "muted" },
      "Paste an API token. ",
      h("code", {}, "taskpilot dev"),
      " prints a one-click link and keeps its admin token in ",
      h("code", {}, "~/.taskpilot/admin-token"),
      "; ",
      h("code", {}, "taskpilot token create --owner NAME --role operator"),
      " makes others.",
    ),
    reason ? h("p", { class: "problem" }, reason) : null,
    h("label", {}, "API token", input),
    message,
    h("button", { type: "submit", id: "login-submit" }, "Sign in"),
  );
  clear(main, form);
  input.focus();
}

async function signIn() {
  me = await get("/api/v1/me");
  nav.hidden = false;
  // Only what the role may use: a viewer makes nothing, and the fleet is for admins.
  nav.querySelector('[data-page="new"]').hidden = me.role === "viewer";
  nav.querySelector('[data-page="fleet"]').hidden = me.role !== "admin";
  clear(
    who,
    h("span", { id: "who-owner" }, me.owner),
    h("span", { class: "muted" }, ` · ${me.role} `),
    h(
      "button",
      {
        type: "button",
        class: "link",
        id: "sign-out",
        onclick: () => {
          signOut();
          loginPage();
        },
      },
      "Sign out",
    ),
  );
}

const pages = { tasks, task, new: create, schedules, fleet, costs };

// Routes overlap when the address changes while one waits for the server: only the newest renders.
let routing = 0;

export async function route() {
  const generation = ++routing;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  await takeTokenFromFragment();
  if (generation !== routing) return;
  if (!token()) return loginPage();
  if (!me) {
    try {
      await signIn();
      if (generation !== routing) return;
    } catch (e) {
      if (generation !== routing) return;
      if (e instanceof ApiError && e.status === 401) {
        setToken(null);
        return loginPage("That token was refused (unknown, revoked or expired).");
      }
      return clear(main, problemBox(e));
    }
  }
  const { parts, query } = parse();
  let name = parts[0] || "tasks";
  if (name === "tasks" && parts[1]) name = "task";
  const page = pages[name];
  for (const link of nav.querySelectorAll("a")) {
    link.classList.toggle("active", link.dataset.page === (name === "task" ? "tasks" : name));
  }
  if (!page) return clear(main, h("p", {}, "No such page. ", h("a", { href: "#/tasks" }, "Tasks")));
  clear(main);
  document.title = `Taskpilot · ${name === "new" ? "New task" : name[0].toUpperCase() + name.slice(1)}`;
  cleanup = page.render(main, { id: parts[1], query, me }) || null;
}

unauthorized.addEventListener("unauthorized", () => {
  // At sign-in the login form shows the refusal itself.
  if (!me) return;
  signOut();
  loginPage("The server refused the token: sign in again.");
});

window.addEventListener("hashchange", route);
route();
