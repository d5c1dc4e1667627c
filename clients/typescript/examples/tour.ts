/**
 * A tour of the gerbang API through the generated client: a resident signs
 * in with a WhatsApp code and reads their account and the packages; an
 * admin signs in with a password and pages through the users; a call
 * without a session shows the typed error.
 *
 * Run it against a running gerbang (for example `scripts/dev.sh`):
 *
 *   GERBANG_API_URL=http://127.0.0.1:8080/api/v1 \
 *   GERBANG_SANDBOX_URL=http://127.0.0.1:18080 \
 *   node build/examples/tour.js
 *
 * The sandbox is the stand-in for Cloudflare Turnstile and WhatsApp
 * (Fonnte): on a real deployment the Turnstile token comes from the widget
 * on the page and the code from the resident's phone.
 */
import { CookieJar, createGerbangClient, GerbangError, ok, type Schemas } from "../src/index.js";

/** A Turnstile token as the widget on the portal page would hand it over. */
export async function turnstileToken(sandboxUrl: string, action: string): Promise<string> {
  const res = await fetch(`${sandboxUrl}/_sandbox/turnstile/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ hostname: "portal.test", action }),
  });
  const body = (await res.json()) as { token: string };
  return body.token;
}

/** WhatsApp messages the fake Fonnte received for a number (`08…` or `62…`). */
async function messagesTo(sandboxUrl: string, phone: string): Promise<string[]> {
  const target = phone.startsWith("0") ? `62${phone.slice(1)}` : phone.replace(/^\+/, "");
  const res = await fetch(`${sandboxUrl}/_sandbox/whatsapp/messages?target=${target}`);
  const messages = (await res.json()) as { message: string }[];
  return messages.map((m) => m.message);
}

/** The 6-digit code of the first message after the first `seen` ones. */
async function codeFromInbox(sandboxUrl: string, phone: string, seen: number): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages = await messagesTo(sandboxUrl, phone);
    const code = messages.slice(seen).join(" ").match(/\b\d{6}\b/)?.[0];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no WhatsApp code reached ${phone}`);
}

export interface ResidentTour {
  login: Schemas["LoginResult"];
  me: Schemas["UserView"];
  packages: Schemas["PackageView"][];
}

/** A resident signs in with a WhatsApp code, then reads `/me` and the packages. */
export async function residentTour(
  apiUrl: string,
  sandboxUrl: string,
  phone: string,
): Promise<ResidentTour> {
  const api = createGerbangClient({ baseUrl: apiUrl, cookies: new CookieJar() });
  const seen = (await messagesTo(sandboxUrl, phone)).length;
  const turnstile_token = await turnstileToken(sandboxUrl, "otp_request");
  ok(await api.POST("/auth/otp/request", { body: { phone, turnstile_token } }));
  const code = await codeFromInbox(sandboxUrl, phone, seen);
  const login = ok(await api.POST("/auth/otp/verify", { body: { phone, code } }));
  const me = ok(await api.GET("/me"));
  const packages = ok(await api.GET("/packages"));
  return { login, me, packages };
}

export interface AdminTour {
  /** What the API said to a call without a session. */
  refused: { status: number; code: Schemas["ErrorCode"] };
  /** Every user, read two per page. */
  users: Schemas["UserRow"][];
  total: number;
  pages: number;
}

/** An admin signs in with a password and pages through every user. */
export async function adminTour(
  apiUrl: string,
  username: string,
  password: string,
): Promise<AdminTour> {
  const api = createGerbangClient({ baseUrl: apiUrl, cookies: new CookieJar() });
  // Errors are values with a typed `code`…
  const denied = await api.GET("/admin/users");
  if (!denied.error) throw new Error("a list without a session must be refused");
  const refused = { status: denied.response.status, code: denied.error.code };
  // …or, through `ok`, a thrown GerbangError.
  try {
    ok(await api.POST("/admin/auth/login", { body: { username, password: `${password}-salah` } }));
    throw new Error("a wrong password must be refused");
  } catch (e) {
    if (!(e instanceof GerbangError)) throw e;
  }
  ok(await api.POST("/admin/auth/login", { body: { username, password } }));
  const users: Schemas["UserRow"][] = [];
  let after: string | undefined;
  let total = 0;
  let pages = 0;
  do {
    const page = ok(await api.GET("/admin/users", { params: { query: { limit: 2, after } } }));
    users.push(...page.items);
    total = page.total;
    after = page.next ?? undefined;
    pages += 1;
  } while (after);
  return { refused, users, total, pages };
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const apiUrl = process.env.GERBANG_API_URL ?? "http://127.0.0.1:8080/api/v1";
  const sandboxUrl = process.env.GERBANG_SANDBOX_URL ?? "http://127.0.0.1:18080";
  const resident = await residentTour(apiUrl, sandboxUrl, "081200000001");
  console.log(`resident ${resident.me.name}: ${resident.packages.length} packages on sale`);
  const admin = await adminTour(apiUrl, "admin", "gerbang-demo");
  console.log(`admin: ${admin.total} users in ${admin.pages} pages; without a session: ${admin.refused.code}`);
}
