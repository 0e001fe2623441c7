// Every ```ts and ```tsx block of the READMEs and docs/ is a complete program that compiles
// against the workspace's packages: a renamed option or a removed export fails here, not on a
// reader's screen. One TypeScript program holds every block (each a module of its own, placed
// beside its markdown file so it resolves that package's dependencies); `@cogkit/*` maps to
// the sources, so no build is needed. A block marked ```ts fragment is skipped.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The markdown files whose code blocks must compile. */
function markdownFiles(): string[] {
  const inDir = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => name.endsWith(".md"))
          .map((name) => join(dir, name))
      : [];
  const packages = readdirSync(join(root, "packages")).map((name) => join("packages", name, "README.md"));
  const examples = readdirSync(join(root, "examples")).map((name) => join("examples", name, "README.md"));
  return ["README.md", ...inDir("docs"), ...packages, ...examples].filter((file) => existsSync(join(root, file)));
}

interface Snippet {
  /** `README.md:42`: where the block starts. */
  where: string;
  /** The virtual file the block is compiled as. */
  path: string;
  code: string;
}

const fence = /^( *)```(tsx?)([^\n]*)\n([\s\S]*?)^\1```[ \t]*$/gm;

/** The ts/tsx blocks of a markdown file (indented ones in lists too), without fragments. */
export function extractSnippets(markdownPath: string, markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  for (const match of markdown.matchAll(fence)) {
    const [, indent = "", lang = "ts", info = "", body = ""] = match;
    if (/\bfragment\b/.test(info)) continue;
    const line = markdown.slice(0, match.index).split("\n").length;
    let code = body
      .split("\n")
      .map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text))
      .join("\n");
    // Each block is a module of its own: its names never clash with another block's, and
    // top-level await works.
    if (!/^\s*(import|export)\b/m.test(code)) code += "\nexport {};\n";
    const path = join(root, dirname(markdownPath), `__snippet_${line}.${lang}`);
    snippets.push({ where: `${markdownPath}:${line}`, path, code });
  }
  return snippets;
}

const source = (path: string) => join(root, "packages", path);
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  types: ["node"],
  paths: {
    "@cogkit/core": [source("core/src/index.ts")],
    "@cogkit/core/aws-sdk": [source("core/src/aws-sdk.ts")],
    "@cogkit/core/hosted-ui": [source("core/src/hosted-ui.ts")],
    "@cogkit/core/server": [source("core/src/server.ts")],
    "@cogkit/core/migrate": [source("core/src/migrate.ts")],
    "@cogkit/emulator": [source("emulator/src/index.ts")],
    "@cogkit/emulator/msw": [source("emulator/src/msw.ts")],
    "@cogkit/node": [source("node/src/index.ts")],
    "@cogkit/react": [source("react/src/index.ts")],
  },
};

// Parsed sources (the packages, lib and @types files) shared by every program below.
const sourceCache = new Map<string, ts.SourceFile | undefined>();

/**
 * Type errors of each snippet, by its virtual path. One program per markdown file: a
 * `declare module` augmentation (React's `Register`) reaches the blocks of its own page only,
 * as it would in a reader's app; the parsed sources are shared, so it stays fast.
 */
export function typeCheck(snippets: readonly Snippet[]): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const pages = new Map<string, Snippet[]>();
  for (const snippet of snippets) {
    const page = snippet.where.split(":")[0]!;
    pages.set(page, [...(pages.get(page) ?? []), snippet]);
  }
  for (const page of pages.values()) for (const [path, found] of checkPage(page)) errors.set(path, found);
  return errors;
}

function checkPage(snippets: readonly Snippet[]): Map<string, string[]> {
  const byPath = new Map(snippets.map((snippet) => [snippet.path, snippet.code]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getCurrentDirectory = () => root;
  host.fileExists = (path) => byPath.has(path) || fileExists.call(host, path);
  host.readFile = (path) => byPath.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, create) => {
    const code = byPath.get(path);
    if (code !== undefined) return ts.createSourceFile(path, code, language, true);
    if (!sourceCache.has(path)) sourceCache.set(path, getSourceFile.call(host, path, language, onError, create));
    return sourceCache.get(path);
  };
  const program = ts.createProgram({ rootNames: [...byPath.keys()], options, host });
  const errors = new Map<string, string[]>(snippets.map((snippet) => [snippet.path, []]));
  const global = program.getOptionsDiagnostics().concat(program.getGlobalDiagnostics());
  if (global.length > 0) throw new Error(ts.formatDiagnostics(global, formatHost));
  for (const snippet of snippets) {
    const file = program.getSourceFile(snippet.path)!;
    for (const diagnostic of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      errors.get(snippet.path)!.push(`line ${line + 1} of the block: ${text}`);
    }
  }
  return errors;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => root,
  getNewLine: () => "\n",
};

const snippets = markdownFiles().flatMap((file) => extractSnippets(file, readFileSync(join(root, file), "utf8")));
let checked: Map<string, string[]> | undefined;

describe("README snippets", () => {
  it("are found in the root README and the packages' READMEs", () => {
    const files = new Set(snippets.map((snippet) => snippet.where.split(":")[0]));
    for (const file of ["README.md", "packages/react/README.md", "packages/node/README.md"]) expect(files).toContain(file);
  });

  it("report a block that does not compile, naming its line", () => {
    const [broken] = extractSnippets("README.md", 'Text\n\n```ts\nimport { createAuthClient } from "@cogkit/core";\ncreateAuthClient({ region: 1 });\n```\n');
    const errors = typeCheck([broken!]).get(broken!.path)!;
    expect(broken!.where).toBe("README.md:3");
    expect(errors.join("\n")).toMatch(/^line 2 of the block: Type 'number' is not assignable/m);
  });

  it.each(snippets.map((snippet) => [snippet.where, snippet] as const))("%s compiles", (_where, snippet) => {
    checked ??= typeCheck(snippets);
    expect(checked.get(snippet.path), relative(root, snippet.path)).toEqual([]);
  });
});
