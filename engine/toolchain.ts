/**
 * The real Pulumi CLI for the engine tier: the official binary named by AKS_PLATFORM_PULUMI_CLI,
 * or one built here from the Go module proxy (github.com/pulumi/pulumi/pkg/v3, package
 * cmd/pulumi) and cached outside the repo, keyed by version:
 * `${XDG_CACHE_HOME:-~/.cache}/aks-platform/pulumi-<version>/`.
 *
 * The version is the one engine/go/cli/go.mod pins (go.sum pins the bytes).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ENGINE_DIR = __dirname;
export const REPO_ROOT = path.resolve(ENGINE_DIR, "..");
export const CLI_MODULE_DIR = path.join(ENGINE_DIR, "go", "cli");
/** Stand-in provider plugins (pulumi-resource-azure-native, pulumi-resource-kubernetes). */
export const PROVIDER_BIN_DIR = path.join(ENGINE_DIR, "bin", "providers");
/** The stand-in Node.js language host, on PATH only when the real one is missing. */
export const STANDIN_LANGUAGE_BIN_DIR = path.join(ENGINE_DIR, "bin", "language");
export const CLI_ENV = "AKS_PLATFORM_PULUMI_CLI";

const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const CLI_PACKAGE = `${CLI_MODULE}/cmd/pulumi`;
const LANGUAGE_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
/** Where the CLI reads its version from (pulumi/pulumi Makefile: -ldflags "-X .../version.Version=v..."). */
const VERSION_SYMBOL = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The pkg/v3 version go.mod requires, e.g. "3.276.0". */
export function pinnedCliVersion(goMod: string = fs.readFileSync(path.join(CLI_MODULE_DIR, "go.mod"), "utf8")): string {
    const m = new RegExp(`^\\s*${CLI_MODULE.replace(/[.]/g, "\\.")} v(\\d+\\.\\d+\\.\\d+)\\b`, "m").exec(goMod);
    if (!m) throw new Error(`engine/go/cli/go.mod does not require ${CLI_MODULE}; the engine tier needs it pinned there`);
    return m[1];
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
    const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
    return path.join(base, "aks-platform");
}

export type LanguageHostKind = "bundled" | "built" | "stand-in";

export interface Toolchain {
    /** Absolute path of the `pulumi` binary. */
    cli: string;
    /** "pulumi v3.x.y" as the binary reports it. */
    version: string;
    source: "AKS_PLATFORM_PULUMI_CLI" | "built from the Go module proxy";
    languageHost: LanguageHostKind;
    /** Why the stand-in language host is used, when it is. */
    languageHostNote?: string;
    /** Folders to put first on PATH for the CLI run. */
    pathDirs: string[];
}

function isExecutable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

function onPath(name: string, pathVar: string | undefined): string | undefined {
    for (const dir of (pathVar ?? "").split(path.delimiter)) {
        if (dir !== "" && isExecutable(path.join(dir, name))) return path.join(dir, name);
    }
    return undefined;
}

export function cliVersion(cli: string): string {
    const r = spawnSync(cli, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    if (r.status !== 0) throw new Error(`${cli} version failed (exit ${r.status}): ${r.stderr.trim()}`);
    const v = r.stdout.trim();
    return `pulumi ${v.startsWith("v") ? v : `v${v}`}`;
}

/** Runs go; `passThrough` shows its output (downloads, errors) as it comes instead of capturing it. */
function goBuild(args: string[], cwd: string, log: (line: string) => void, passThrough = false): { ok: boolean; output: string } {
    log(`engine: $ go ${args.join(" ")}   (in ${path.relative(REPO_ROOT, cwd) || "."})`);
    const r = spawnSync("go", args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=readonly`.trim() },
        maxBuffer: 64 * 1024 * 1024,
        stdio: passThrough ? ["ignore", "inherit", "inherit"] : "pipe",
    });
    if (r.error) return { ok: false, output: `go could not start: ${r.error.message} (the engine tier needs Go 1.26 on PATH)` };
    return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() || `go exited with ${r.status}` };
}

/**
 * Tries the real language host from the module proxy once per version. Its module has no tags of
 * its own, so only the release's commit (a pseudo-version) could name it; the failure is kept in
 * the cache (delete the file to retry) so later runs do not ask again.
 */
function ensureLanguageHost(dir: string, version: string, log: (line: string) => void): { path?: string; note?: string } {
    const built = path.join(dir, "pulumi-language-nodejs");
    if (isExecutable(built)) return { path: built };
    const failure = path.join(dir, "pulumi-language-nodejs.unavailable.txt");
    if (fs.existsSync(failure)) return { note: fs.readFileSync(failure, "utf8").trim() };
    log(`engine: trying to build the real Node.js language host ${LANGUAGE_MODULE} for v${version} ...`);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "aks-platform-langhost-"));
    try {
        fs.writeFileSync(path.join(work, "go.mod"), "module aks-platform/engine/langhost\n\ngo 1.26\n");
        const get = goBuild(["get", `${LANGUAGE_MODULE}@v${version}`], work, log);
        if (get.ok) {
            const b = goBuild(["build", "-o", built, "-ldflags", `-X ${VERSION_SYMBOL}=v${version}`, LANGUAGE_MODULE], work, log);
            if (b.ok) return { path: built };
            const note = `go build ${LANGUAGE_MODULE} failed:\n${b.output}`;
            fs.writeFileSync(failure, `${note}\n`);
            return { note };
        }
        const note = `the real language host cannot be had here: go get ${LANGUAGE_MODULE}@v${version} says:\n${get.output}`;
        fs.writeFileSync(failure, `${note}\n`);
        return { note };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}

/**
 * The CLI to run: AKS_PLATFORM_PULUMI_CLI when set (its bundled language host next to it or on
 * PATH is used), else the cached build, building it on first use.
 */
export function ensureToolchain(log: (line: string) => void = (l) => console.error(l), env: NodeJS.ProcessEnv = process.env): Toolchain {
    const official = env[CLI_ENV];
    if (official !== undefined && official !== "") {
        const cli = path.resolve(official);
        if (!isExecutable(cli)) {
            throw new Error(`${CLI_ENV}=${official}: no executable file there; set it to an installed pulumi binary or unset it to build one`);
        }
        const cliDir = path.dirname(fs.realpathSync(cli));
        const bundled = isExecutable(path.join(cliDir, "pulumi-language-nodejs")) || onPath("pulumi-language-nodejs", env.PATH) !== undefined;
        if (!bundled) {
            throw new Error(`${CLI_ENV}=${official}: no pulumi-language-nodejs next to it or on PATH; install the full CLI release`);
        }
        return { cli, version: cliVersion(cli), source: "AKS_PLATFORM_PULUMI_CLI", languageHost: "bundled", pathDirs: [PROVIDER_BIN_DIR, cliDir] };
    }

    const version = pinnedCliVersion();
    const dir = path.join(cacheRoot(env), `pulumi-${version}`);
    fs.mkdirSync(dir, { recursive: true });
    const cli = path.join(dir, "pulumi");
    if (!isExecutable(cli)) {
        log(`engine: building the Pulumi CLI v${version} from ${CLI_PACKAGE} into ${dir}`);
        log("engine: first use only; with empty Go caches this takes about 25-30 minutes on 2 cores (module downloads, then a silent compile)");
        const started = Date.now();
        const b = goBuild(["build", "-o", `${cli}.partial`, "-ldflags", `-X ${VERSION_SYMBOL}=v${version}`, CLI_PACKAGE], CLI_MODULE_DIR, log, true);
        if (!b.ok) throw new Error(`building the Pulumi CLI failed:\n${b.output}`);
        fs.renameSync(`${cli}.partial`, cli);
        log(`engine: built ${cli} in ${Math.round((Date.now() - started) / 1000)} s`);
    }
    const lang = ensureLanguageHost(dir, version, log);
    const pathDirs = [PROVIDER_BIN_DIR, dir];
    if (lang.path) {
        return { cli, version: cliVersion(cli), source: "built from the Go module proxy", languageHost: "built", pathDirs };
    }
    return {
        cli,
        version: cliVersion(cli),
        source: "built from the Go module proxy",
        languageHost: "stand-in",
        languageHostNote: lang.note,
        pathDirs: [STANDIN_LANGUAGE_BIN_DIR, ...pathDirs],
    };
}

/** One line saying what runs, printed by every engine command. */
export function describeToolchain(t: Toolchain): string {
    const host = t.languageHost === "stand-in"
        ? "language host: STAND-IN engine/standins/language-host.ts (the real one cannot be built here; see engine/README.md)"
        : `language host: real pulumi-language-nodejs (${t.languageHost})`;
    return `engine: ${t.version} (${t.source}: ${t.cli}); ${host}; providers: stand-ins from engine/bin/providers`;
}
