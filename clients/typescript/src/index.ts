/**
 * A typed client for the gerbang API. The types in `schema.d.ts` are
 * generated from `openapi.json` (`npm run generate`); the runtime is
 * openapi-fetch. This file only adds what every caller needs:
 *
 * - the `X-Requested-With: fetch` header gerbang requires on every
 *   cookie-authenticated change (its CSRF rule),
 * - `credentials: "include"` so a browser sends the session cookies,
 * - a cookie jar for Node and other runtimes without one,
 * - the error envelope as a type, with its `code` a union of the stable codes.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths };
/** Every schema of the contract by name, e.g. `Schemas["UserView"]`. */
export type Schemas = components["schemas"];
/** The stable error codes; switch on these, never on `message`. */
export type ErrorCode = Schemas["ErrorCode"];
/** The body of every non-2xx answer. */
export type ErrorEnvelope = Schemas["ErrorEnvelope"];
export type GerbangClient = Client<paths>;

export interface GerbangOptions {
  /** Where the API lives, e.g. `https://wifi.example.sch.id/api/v1`. */
  baseUrl: string;
  /** Keep cookies in memory (Node); browsers keep their own. */
  cookies?: CookieJar;
  /** A custom fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

/** A client with gerbang's headers and, optionally, a cookie jar. */
export function createGerbangClient(options: GerbangOptions): GerbangClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    credentials: "include",
    headers: { "X-Requested-With": "fetch" },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.cookies) {
    client.use(cookieMiddleware(options.cookies));
  }
  return client;
}

/** Session cookies kept between calls where the runtime has no cookie store. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** The `Cookie` header to send, or `undefined` when empty. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Takes the `Set-Cookie` headers of a response (an expired one removes its cookie). */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k = "", v = ""] = a.trim().split("=");
        return (
          (k.toLowerCase() === "max-age" && Number(v) <= 0) ||
          (k.toLowerCase() === "expires" && Date.parse(v) <= Date.now())
        );
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function cookieMiddleware(jar: CookieJar): Middleware {
  return {
    onRequest({ request }) {
      const header = jar.header();
      if (header) request.headers.set("Cookie", header);
      return request;
    },
    onResponse({ response }) {
      jar.store(response);
      return response;
    },
  };
}

/** An answer that was not 2xx, with its envelope. */
export class GerbangError extends Error {
  constructor(
    readonly status: number,
    readonly envelope: ErrorEnvelope,
  ) {
    super(`${status} ${envelope.code}: ${envelope.message}`);
    this.name = "GerbangError";
  }

  get code(): ErrorCode {
    return this.envelope.code;
  }

  /** The per-field problems of a 409/422 (`details.fields`), if any. */
  get fields(): Record<string, string[]> {
    const f = this.envelope.details?.["fields"];
    return f && typeof f === "object" ? (f as Record<string, string[]>) : {};
  }
}

/** Whether a value is gerbang's error envelope. */
export function isErrorEnvelope(value: unknown): value is ErrorEnvelope {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/**
 * The data of a successful answer, or a thrown `GerbangError`:
 * `const me = ok(await api.GET("/me"))`.
 */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const envelope: ErrorEnvelope = isErrorEnvelope(result.error)
    ? result.error
    : { code: "internal", message: `HTTP ${result.response.status}`, details: {} };
  throw new GerbangError(result.response.status, envelope);
}
