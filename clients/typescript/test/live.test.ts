/**
 * The generated client against a running gerbang with its sandbox (the test
 * command starts both with demo data; see scripts/lib.sh,
 * `start_contract_stack`). Only the generated client talks to the API.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { adminTour, residentTour } from "../examples/tour.js";
import { CookieJar, createGerbangClient, GerbangError, ok } from "../src/index.js";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through scripts/test.sh`);
  return value;
}

const apiUrl = env("GERBANG_API_URL");
const sandboxUrl = env("GERBANG_SANDBOX_URL");

test("a resident signs in with a WhatsApp code and reads /me and the packages", async () => {
  const phone = env("GERBANG_DEMO_PHONE");
  const tour = await residentTour(apiUrl, sandboxUrl, phone);
  assert.equal(tour.login.user.role, "resident");
  assert.equal(tour.me.id, tour.login.user.id);
  assert.equal(tour.me.phone, `+62${phone.slice(1)}`);
  assert.ok(tour.packages.length > 0, "the demo data has packages on sale");
  for (const p of tour.packages) {
    assert.equal(typeof p.price_idr, "number");
  }
});

test("an admin signs in and pages through every user; no session is a typed 401", async () => {
  const tour = await adminTour(apiUrl, env("GERBANG_DEMO_ADMIN"), env("GERBANG_DEMO_ADMIN_PASSWORD"));
  assert.deepEqual(tour.refused, { status: 401, code: "unauthorized" });
  assert.equal(tour.users.length, tour.total);
  assert.equal(tour.pages, Math.max(1, Math.ceil(tour.total / 2)));
  assert.equal(new Set(tour.users.map((u) => u.id)).size, tour.total, "no user twice");
  assert.ok(tour.users.some((u) => u.phone === `+62${env("GERBANG_DEMO_PHONE").slice(1)}`));
});

test("bad input comes back as the envelope with field codes", async () => {
  const api = createGerbangClient({ baseUrl: apiUrl, cookies: new CookieJar() });
  try {
    ok(await api.POST("/auth/otp/request", { body: { phone: "12", turnstile_token: "x" } }));
    assert.fail("a two-digit number must be refused");
  } catch (e) {
    assert.ok(e instanceof GerbangError);
    assert.equal(e.status, 422);
    assert.ok(["invalid_phone", "validation_failed"].includes(e.code), e.code);
  }
});
