// Links of the docs lead somewhere. A package's README is read on npmjs.com and inside the
// tarball, where a relative path leads nowhere: it links with absolute URLs, and those into
// this repository name files that exist. The root README and docs/ are read in the
// repository, where relative links must name existing files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
/** The repository's address, as every package.json's `repository` names it. */
export const repositoryUrl = "https://github.com/cogkit/cogkit";

/** Markdown link targets of `markdown`, outside code blocks and code spans. */
export function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^( *)```[\s\S]*?^\1```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target]) => target!);
}

/** The repository path an absolute link into the repository names, or undefined for other URLs. */
function repositoryPath(url: string): string | undefined {
  const match = new RegExp(`^${repositoryUrl}/(?:blob|tree)/main/([^#?]+)`).exec(url);
  return match ? decodeURIComponent(match[1]!).replace(/\/$/, "") : url.replace(/#.*$/, "") === repositoryUrl ? "" : undefined;
}

const packageReadmes = readdirSync(join(root, "packages")).map((name) => join("packages", name, "README.md"));
const repositoryDocs = [
  "README.md",
  ...readdirSync(join(root, "docs")).filter((name) => name.endsWith(".md")).map((name) => join("docs", name)),
  ...readdirSync(join(root, "examples")).map((name) => join("examples", name, "README.md")).filter((file) => existsSync(join(root, file))),
];

describe("README links", () => {
  it("finds links in markdown prose, not in code", () => {
    expect(linkTargets('See [a](https://x.test/a) and [b](../b.md "B").\n\n```md\n[c](c.md)\n```\n`[d](d.md)`')).toEqual(["https://x.test/a", "../b.md"]);
  });

  it.each(packageReadmes)("%s links with absolute URLs, into files of this repository that exist", (readme) => {
    for (const target of linkTargets(readFileSync(join(root, readme), "utf8"))) {
      if (target.startsWith("#")) continue;
      expect(target, `${readme}: a relative link breaks on npmjs.com`).toMatch(/^(https:|mailto:)/);
      const path = repositoryPath(target);
      if (path !== undefined) expect(existsSync(join(root, path)), `${readme} → ${target}`).toBe(true);
    }
  });

  it.each(repositoryDocs)("%s links to files that exist", (doc) => {
    for (const target of linkTargets(readFileSync(join(root, doc), "utf8"))) {
      if (target.startsWith("#") || /^(mailto:|https?:)/.test(target) && repositoryPath(target) === undefined) continue;
      const path = repositoryPath(target) ?? join(dirname(doc), target.replace(/#.*$/, ""));
      expect(existsSync(join(root, path)), `${doc} → ${target}`).toBe(true);
    }
  });
});

describe("package.json metadata", () => {
  it.each(readdirSync(join(root, "packages")))("packages/%s names its repository, homepage, issue tracker and keywords", (dir) => {
    const manifest = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
    expect(manifest.repository).toEqual({ type: "git", url: `git+${repositoryUrl}.git`, directory: `packages/${dir}` });
    expect(manifest.homepage).toBe(`${repositoryUrl}/tree/main/packages/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${repositoryUrl}/issues` });
    expect(manifest.keywords).toEqual(expect.arrayContaining(["cognito", "aws"]));
  });
});
