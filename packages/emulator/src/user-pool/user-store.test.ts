import { describe, expect, it } from "vitest";
import { resolvePoolModel } from "../emulator-options.js";
import { createUserStore, type UserRecord } from "./user-store.js";

const pool = resolvePoolModel({ loginWith: { username: true, email: true } }, "us-east-1", "us-east-1_AbC123xyz");
const user = (username: string, attributes: Record<string, string>): UserRecord => ({
  username,
  sub: `sub-${username}`,
  status: "CONFIRMED",
  enabled: true,
  attributes: new Map(Object.entries(attributes)),
  password: { salt: 1n, verifier: 2n },
  groups: new Set(),
  codes: new Map(),
  createdAt: 0,
  updatedAt: 0,
});

describe("the user store's login index", () => {
  it("follows writes to a user's attribute Map, whoever holds it", () => {
    const users = createUserStore(pool);
    const attributes = new Map([
      ["email", "Ana@Example.com"],
      ["email_verified", "true"],
    ]);
    users.add({ ...user("ana", {}), attributes });
    expect(users.byLogin("ana@example.COM")?.username).toBe("ana");
    attributes.set("email", "ana@new.example");
    expect([users.byLogin("ana@example.com"), users.byLogin("ANA@new.example")?.username]).toEqual([undefined, "ana"]);
    attributes.delete("email");
    expect(users.byLogin("ana@new.example")).toBeUndefined();
    attributes.set("email", "ana@example.com");
    attributes.clear();
    expect(users.withAttribute("email", "ana@example.com")).toEqual([]);
  });

  it("does not bring back a deleted user that a request still holding it writes to", () => {
    const users = createUserStore(pool);
    const ana = user("ana", { email: "ana@example.com", email_verified: "true" });
    users.add(ana);
    users.remove("ANA");
    ana.attributes.set("email", "ana@new.example");
    expect([users.byLogin("ana@example.com"), users.byLogin("ana@new.example"), users.byUsername("ana")]).toEqual([undefined, undefined, undefined]);
  });

  it("keeps holders of a value apart and finds each by its own status", () => {
    const users = createUserStore(pool);
    users.add(user("bo", { email: "shared@example.com", email_verified: "false" }));
    users.add(user("cy", { email: "SHARED@example.com", email_verified: "true" }));
    expect(users.withAttribute("email", "shared@example.com").map((u) => u.username)).toEqual(["bo", "cy"]);
    expect(users.byLogin("shared@example.com")?.username).toBe("cy");
  });
});
