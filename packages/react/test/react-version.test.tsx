// @vitest-environment jsdom
import { version } from "react";
import { version as domVersion } from "react-dom";
import { version as serverVersion } from "react-dom/server";
import { expect, it } from "vitest";

// The root vitest config runs these tests twice: project "cogkit" on React 18 and project
// "react19" (which sets COGKIT_REACT_MAJOR) on React 19.
it("runs on the React its project names, with the matching react-dom", () => {
  expect(version.split(".")[0]).toBe(process.env.COGKIT_REACT_MAJOR ?? "18");
  expect(domVersion).toBe(version);
  expect(serverVersion).toBe(version);
});
