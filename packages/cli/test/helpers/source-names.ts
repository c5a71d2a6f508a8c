import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The names our TypeScript source declares, read from the syntax trees of every
 * packages/**\/src file (no type checking, so it takes a second or two). The docs-drift test
 * accepts a backticked name in the docs when it is one of these:
 *
 * - `exports`: a name a package exports from its entry point (src/index.ts, following
 *   `export * from`), so `tokenize` of a module the package does not re-export is not one;
 * - `members`: a property or method name declared in a type, interface, class or object literal
 *   (fields such as `refId` in a table, zod object keys such as `gpu_count`, `pollIntervals`);
 * - `strings`: the text of a string literal (error codes, check ids, RPC names, env vars);
 * - `srcWords`: every identifier-like word of a src file, comments included (a module's private
 *   constant, an env var a script reads, a field read off a cloud's answer, a cloud field a
 *   comment names), and of the deployment files;
 * - `words`: every identifier-like word in any code or spec file of a package (src, test, fakes,
 *   the clouds' OpenAPI specs and protos, data): a cloud's wire names.
 */
export interface SourceNames {
  readonly exports: ReadonlySet<string>;
  readonly members: ReadonlySet<string>;
  readonly strings: ReadonlySet<string>;
  readonly srcWords: ReadonlySet<string>;
  readonly words: ReadonlySet<string>;
}

const WORD_FILES = /\.(?:ts|tsx|mts|mjs|js|yaml|yml|json|jsonl|proto)$/;

function addWords(text: string, into: Set<string>): void {
  for (const word of text.match(/[A-Za-z_$][\w$]*/g) ?? []) into.add(word);
}

/** Every word in the code and spec files under `dir`, but those in `skip`. */
function collectWords(dir: string, skip: ReadonlySet<string>, into: Set<string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) {
      continue;
    }
    const path = join(dir, entry.name);
    if (entry.isDirectory()) collectWords(path, skip, into);
    else if (WORD_FILES.test(entry.name) && !skip.has(path))
      addWords(readFileSync(path, 'utf8'), into);
  }
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'test', 'bench']);

function sourceFiles(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(path, out);
    else if (/\.(?:ts|tsx|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Every package's src directory under `packagesDir` (packages/* and packages/providers/*). */
export function packageSourceDirs(packagesDir: string): string[] {
  const dirs: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      if (entry.name === 'src') dirs.push(join(dir, entry.name));
      else if (depth < 2) visit(join(dir, entry.name), depth + 1);
    }
  };
  visit(packagesDir, 0);
  return dirs.sort();
}

function nameText(name: ts.PropertyName | ts.BindingName | ts.ModuleExportName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text.replace(/^#/, '');
  }
  return null;
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** What one module exports: its own names, and the modules it re-exports whole. */
interface ModuleExports {
  readonly names: Set<string>;
  readonly starFrom: string[];
}

/** Adds what one file declares and spells to the sets, and returns what it exports. */
export function collectNames(
  text: string,
  fileName: string,
  into: { members: Set<string>; strings: Set<string> },
): ModuleExports {
  const module: ModuleExports = { names: new Set(), starFrom: [] };
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const visit = (node: ts.Node): void => {
    if (
      (ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isEnumDeclaration(node)) &&
      node.name &&
      isExported(node)
    ) {
      module.names.add(node.name.text);
    } else if (ts.isVariableStatement(node) && isExported(node)) {
      for (const declaration of node.declarationList.declarations) {
        const name = nameText(declaration.name);
        if (name) module.names.add(name);
      }
    } else if (ts.isExportDeclaration(node) && !node.exportClause && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) module.starFrom.push(node.moduleSpecifier.text);
    } else if (
      ts.isExportDeclaration(node) &&
      node.exportClause &&
      ts.isNamespaceExport(node.exportClause)
    ) {
      module.names.add(node.exportClause.name.text);
    } else if (ts.isExportSpecifier(node)) {
      const name = nameText(node.name);
      if (name) module.names.add(name);
    } else if (
      ts.isPropertySignature(node) ||
      ts.isMethodSignature(node) ||
      ts.isPropertyDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isPropertyAssignment(node) ||
      ts.isEnumMember(node)
    ) {
      const name = nameText(node.name);
      if (name) into.members.add(name);
    } else if (ts.isShorthandPropertyAssignment(node)) {
      into.members.add(node.name.text);
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      into.strings.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return module;
}

/** The file a relative import names (`./x.js` is ./x.ts, or ./x/index.ts). */
function resolveModule(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = join(dirname(from), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** What an entry module exports, following `export * from` through `modules`. */
function publicNames(
  entry: string,
  modules: ReadonlyMap<string, ModuleExports>,
  into: Set<string>,
) {
  const seen = new Set<string>();
  const walk = (path: string): void => {
    const module = modules.get(path);
    if (!module || seen.has(path)) return;
    seen.add(path);
    for (const name of module.names) into.add(name);
    for (const specifier of module.starFrom) {
      const target = resolveModule(path, specifier);
      if (target) walk(target);
    }
  };
  walk(entry);
}

/**
 * Reads every src file under `packagesDir` (and every file of `deployDirs` for `srcWords`), and
 * every code or spec file for `words` but the `skip` paths (a test's own samples of wrong names
 * would otherwise count as present).
 */
export function readSourceNames(
  packagesDir: string,
  skip: readonly string[] = [],
  deployDirs: readonly string[] = [],
): SourceNames {
  const into = { members: new Set<string>(), strings: new Set<string>() };
  const modules = new Map<string, ModuleExports>();
  const exports = new Set<string>();
  const srcWords = new Set<string>();
  for (const dir of packageSourceDirs(packagesDir)) {
    for (const path of sourceFiles(dir, [])) {
      const text = readFileSync(path, 'utf8');
      modules.set(path, collectNames(text, path, into));
      addWords(text, srcWords);
    }
    // Every package's package.json points "exports" at src/index.ts; apps (cli, web) have none.
    publicNames(join(dir, 'index.ts'), modules, exports);
  }
  // Deployment files (a compose file, a systemd unit) are ours too: their words count as source.
  for (const dir of deployDirs.filter((d) => existsSync(d))) {
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile())
        addWords(readFileSync(join(entry.parentPath, entry.name), 'utf8'), srcWords);
    }
  }
  const words = new Set<string>();
  collectWords(packagesDir, new Set(skip), words);
  return { exports, ...into, srcWords, words };
}

/**
 * The names of the platform our code runs on, from TypeScript's own declarations of ECMAScript
 * and the DOM (`RangeError`, `AbortSignal`, `sessionStorage`, `EventSource`).
 */
export function platformNames(typescriptLibDir: string): Set<string> {
  const names = new Set<string>();
  for (const name of readdirSync(typescriptLibDir)) {
    if (!/^lib\..*\.d\.ts$/.test(name)) continue;
    addWords(readFileSync(join(typescriptLibDir, name), 'utf8'), names);
  }
  return names;
}
