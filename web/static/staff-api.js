/* The staff map's link to the API: log-in, GraphQL over fetch, live changes over graphql-transport-ws. */
"use strict";

window.StaffApi = (function () {
  const STORE = "madoguchi.staff.session";

  function session() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || null; } catch (error) { return null; }
  }

  function remember(value) {
    if (value) sessionStorage.setItem(STORE, JSON.stringify(value));
    else sessionStorage.removeItem(STORE);
  }

  class ApiError extends Error {
    constructor(message, code) { super(message); this.code = code; }
  }

  async function post(query, variables, token) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
    const body = await response.json();
    if (body.errors && body.errors.length) {
      const first = body.errors[0];
      throw new ApiError(first.message, (first.extensions || {}).code || "INTERNAL");
    }
    return body.data;
  }

  async function refresh() {
    const current = session();
    if (!current || !current.refreshToken) return false;
    try {
      const data = await post(
        "mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }", { t: current.refreshToken });
      remember({ ...current, accessToken: data.refreshToken.accessToken, refreshToken: data.refreshToken.refreshToken });
      return true;
    } catch (error) {
      remember(null);
      return false;
    }
  }

  /* A query as the logged-in member of staff; an expired access token is refreshed once. */
  async function gql(query, variables) {
    const current = session();
    try {
      return await post(query, variables || {}, current && current.accessToken);
    } catch (error) {
      if (error.code === "UNAUTHENTICATED" && await refresh()) return post(query, variables || {}, session().accessToken);
      throw error;
    }
  }

  async function logIn(email, password) {
    const data = await post(
      `mutation($e: String!, $p: String!) { staffLogIn(email: $e, password: $p) {
         accessToken refreshToken staff { displayName departmentCode role } } }`, { e: email, p: password });
    const payload = data.staffLogIn;
    remember({ accessToken: payload.accessToken, refreshToken: payload.refreshToken, staff: payload.staff });
    return payload.staff;
  }

  async function logOut() {
    const current = session();
    if (current) {
      try { await post("mutation($t: String) { logOut(refreshToken: $t) }", { t: current.refreshToken }, current.accessToken); }
      catch (error) { /* the session ends here either way */ }
    }
    remember(null);
  }

  /* Subscribe over graphql-transport-ws; reconnects with back-off. Returns a function that stops it. */
  function subscribe(query, variables, handlers) {
    let socket = null, stopped = false, delay = 1000;
    async function open() {
      try { await gql("{ staffMe { role } }"); } catch (error) { /* connect as who we are */ }
      if (stopped) return;
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + "/graphql", "graphql-transport-ws");
      socket.onopen = () => {
        const current = session();
        socket.send(JSON.stringify({ type: "connection_init", payload: current ? { authorization: "Bearer " + current.accessToken } : {} }));
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(event.data);
        if (message.type === "connection_ack") {
          delay = 1000;
          socket.send(JSON.stringify({ id: "live", type: "subscribe", payload: { query, variables } }));
          handlers.state(true);
        } else if (message.type === "ping") {
          socket.send(JSON.stringify({ type: "pong" }));
        } else if (message.type === "next" && message.payload && message.payload.data) {
          handlers.next(message.payload.data);
        } else if (message.type === "error") {
          handlers.state(false);
        }
      };
      socket.onclose = () => {
        handlers.state(false);
        if (!stopped) { setTimeout(open, delay); delay = Math.min(delay * 2, 30000); }
      };
    }
    open();
    return () => { stopped = true; if (socket) socket.close(); };
  }

  /* A page's log-in: its form, or the session kept from before while the API still takes it;
     then `start(staff)` opens the page. */
  async function signIn(start) {
    const $ = (id) => document.getElementById(id);
    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      $("login-error").textContent = "";
      try { await start(await logIn($("login-email").value, $("login-password").value)); }
      catch (error) { $("login-error").textContent = error.message; }
    });
    if (session()) {
      try { await start((await gql("{ staffMe { displayName departmentCode role } }")).staffMe); return; }
      catch (error) { /* log in again */ }
    }
    $("login").hidden = false;
  }

  return { session, gql, logIn, logOut, signIn, subscribe, ApiError };
})();
