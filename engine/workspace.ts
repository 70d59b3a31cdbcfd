/**
 * Where the real CLI runs: a copy of the project under out/engine/ (the CLI writes
 * `encryptionsalt` into the stack file on `stack init`; the committed stacks/ files stay
 * untouched), a local file backend, a passphrase secrets provider with a fixed local passphrase,
 * and a PULUMI_HOME of its own, so nothing outside out/engine/ is written.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, Toolchain } from "./toolchain";

export const ENGINE_OUT = path.join(REPO_ROOT, "out", "engine");
/** A local-only passphrase: the file backend's secrets never leave out/engine/. */
export const LOCAL_PASSPHRASE = "aks-platform-local-engine-tier";

/** Top-level entries the program and the pack do not need in the copy. */
const NOT_COPIED = new Set([".git", ".github", ".ci", "node_modules", "out", "bin", "test", "bench", "docs", "engine"]);

export interface Workspace {
    /** The project copy the CLI runs in. */
    projectDir: string;
    /** file:// backend folder. */
    stateDir: string;
    home: string;
    env: NodeJS.ProcessEnv;
}

function copyTree(from: string, to: string): void {
    fs.cpSync(from, to, {
        recursive: true,
        filter: (src) => !/[\\/](node_modules|bin)$/.test(src),
    });
}

/** The `encryptionsalt:` line of a stack file, if the CLI wrote one. */
export function encryptionSalt(stackFile: string): string | undefined {
    if (!fs.existsSync(stackFile)) return undefined;
    const m = /^encryptionsalt: .+$/m.exec(fs.readFileSync(stackFile, "utf8"));
    return m?.[0];
}

/**
 * Refreshes the project copy from the repo (sources always current), keeping the salt the CLI
 * wrote into each stack file the last time, so an existing local stack keeps its secrets.
 */
export function prepareWorkspace(toolchain: Toolchain, name = "project"): Workspace {
    const root = path.join(ENGINE_OUT, name);
    const projectDir = path.join(root, "project");
    const stateDir = path.join(root, "state");
    const home = path.join(root, "home");
    const salts = new Map<string, string>();
    const stacksCopy = path.join(projectDir, "stacks");
    if (fs.existsSync(stacksCopy)) {
        for (const f of fs.readdirSync(stacksCopy)) {
            const salt = encryptionSalt(path.join(stacksCopy, f));
            if (salt) salts.set(f, salt);
        }
    }
    fs.rmSync(projectDir, { recursive: true, force: true });
    fs.mkdirSync(projectDir, { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    for (const entry of fs.readdirSync(REPO_ROOT)) {
        if (NOT_COPIED.has(entry)) continue;
        const from = path.join(REPO_ROOT, entry);
        if (fs.statSync(from).isDirectory()) copyTree(from, path.join(projectDir, entry));
        else fs.copyFileSync(from, path.join(projectDir, entry));
    }
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(projectDir, "node_modules"), "dir");
    for (const [f, salt] of salts) {
        const file = path.join(stacksCopy, f);
        if (fs.existsSync(file)) fs.writeFileSync(file, `${salt}\n${fs.readFileSync(file, "utf8")}`);
    }
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PATH: [...toolchain.pathDirs, process.env.PATH ?? ""].join(path.delimiter),
        PULUMI_HOME: home,
        PULUMI_CONFIG_PASSPHRASE: LOCAL_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        // Nothing may be downloaded: the providers are the stand-ins on PATH (pulumi/pulumi
        // sdk/go/common/env/env.go: PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION).
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // `--event-log` (engine events as JSON lines, what test:engine reads policy results from)
        // exists only with debug commands on (pkg/cmd/pulumi/operations/preview.go).
        PULUMI_DEBUG_COMMANDS: "true",
        NO_COLOR: "1",
    };
    delete env.PULUMI_ACCESS_TOKEN;
    delete env.PULUMI_BACKEND_URL;
    delete env.PULUMI_IGNORE_AMBIENT_PLUGINS;
    const login = spawnSync(toolchain.cli, ["login", `file://${stateDir}`], { cwd: projectDir, env, encoding: "utf8" });
    if (login.status !== 0) throw new Error(`pulumi login file://${stateDir} failed: ${login.stderr || login.stdout}`);
    return { projectDir, stateDir, home, env };
}

export interface CliResult { code: number; stdout: string; stderr: string; ms: number }

/** Runs the CLI in the copy; output is captured, or passed through when `inherit`. */
export function runCli(toolchain: Toolchain, ws: Workspace, args: string[], inherit = false): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const child = spawn(toolchain.cli, args, { cwd: ws.projectDir, env: ws.env, stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout?.on("data", (d: Buffer) => { stdout += d.toString(); });
        child.stderr?.on("data", (d: Buffer) => { stderr += d.toString(); });
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started }));
    });
}

/** Selects the stack in the copy, creating it from stacks/Pulumi.<stack>.yaml on first use. */
export async function selectStack(toolchain: Toolchain, ws: Workspace, stack: string): Promise<void> {
    if (!fs.existsSync(path.join(ws.projectDir, "stacks", `Pulumi.${stack}.yaml`))) {
        const known = fs.readdirSync(path.join(ws.projectDir, "stacks")).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter(Boolean);
        throw new Error(`--stack ${stack}: no stacks/Pulumi.${stack}.yaml; stacks: ${known.join(", ")}`);
    }
    const select = await runCli(toolchain, ws, ["stack", "select", stack, "--non-interactive"]);
    if (select.code === 0) return;
    const init = await runCli(toolchain, ws, ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"]);
    if (init.code !== 0) throw new Error(`pulumi stack init ${stack} failed (exit ${init.code}):\n${init.stderr}${init.stdout}`);
}

/** The stack's policy config: policy-pack/config/<stack>.json when it exists. */
export function stackPolicyConfig(projectDir: string, stack: string): string | undefined {
    const file = path.join(projectDir, "policy-pack", "config", `${stack}.json`);
    return fs.existsSync(file) ? file : undefined;
}
