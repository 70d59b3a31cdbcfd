/**
 * `npm run test:engine [-- --stack NAME] [--format text|json]`: the engine tier. Runs the real
 * Pulumi CLI (`pulumi preview --policy-pack policy-pack`) for every stack on a fresh local file
 * backend and checks it against the offline plan, then three negative cases against the CLI.
 * Prints the CLI version it ran and ends with the plain line `N passed, N failed`.
 */
import * as fs from "fs";
import * as path from "path";
import { HELP_OPTION, oneOf, parseCli, TEXT_OR_JSON, TextOrJson, usageFailure, UsageError } from "../policy-pack/cli-args";
import { policies } from "../policy-pack/rules";
import { runProgram } from "../plan/program";
import { describeToolchain, ENGINE_DIR, ensureToolchain, REPO_ROOT, Toolchain } from "./toolchain";
import { CliResult, ENGINE_OUT, prepareWorkspace, runCli, selectStack, stackPolicyConfig, Workspace } from "./workspace";
import { comparePreview, EngineEvent, mandatoryRules, parseEventLog, parsePreviewJson, policyVerdict } from "./preview-checks";

const USAGE = `usage: npm run test:engine -- [--stack NAME]... [--format text|json]

The engine tier: the real Pulumi CLI previews every stack in stacks/ (or the --stack ones) with
the policy pack on a fresh local backend (out/engine/test/) and must agree with the offline plan
resource for resource; then three negative cases (a declared key without value, a mandatory
violation, a refused policy config). The CLI is AKS_PLATFORM_PULUMI_CLI when set, else built from
the Go module proxy on first use (engine/README.md). Ends with "N passed, N failed".
Exit codes: 0 all passed, 1 a check failed, 2 usage error.`;

const OPTIONS = {
    ...HELP_OPTION,
    stack: { type: "string", multiple: true },
    format: { type: "string", default: "text" },
} as const;

interface Check { name: string; ok: boolean; detail: string; ms?: number }

const PACK = "aks-platform";
/** The stack also deployed locally (stand-ins) and previewed again: prod, whose policy config makes every rule mandatory. */
const DECIDED_STACK = "prod";

function stacksIn(dir: string): string[] {
    return fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined).sort();
}

function outputOf(r: CliResult): string {
    return `${r.stdout}\n${r.stderr}`;
}

function tail(text: string, lines = 25): string {
    return text.trim().split("\n").slice(-lines).join("\n");
}

async function preview(t: Toolchain, ws: Workspace, stack: string, policyConfig: string | undefined, tag: string): Promise<{ result: CliResult; events: EngineEvent[] }> {
    const eventLog = path.join(ws.projectDir, "..", `${stack}-${tag}.events.jsonl`);
    fs.rmSync(eventLog, { force: true });
    const args = ["preview", "--stack", stack, "--non-interactive", "--color", "never", "--json", "--event-log", eventLog, "--policy-pack", "policy-pack"];
    if (policyConfig) args.push("--policy-pack-config", policyConfig);
    const result = await runCli(t, ws, args);
    const events = fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
    return { result, events };
}

export async function stackChecks(t: Toolchain, ws: Workspace, stack: string, log: (l: string) => void): Promise<Check[]> {
    const checks: Check[] = [];
    const plan = await runProgram(stack, { stacksDir: path.join(ws.projectDir, "stacks") });
    await selectStack(t, ws, stack);
    const policyConfig = stackPolicyConfig(ws.projectDir, stack);
    log(`test:engine: ${stack}: pulumi preview --policy-pack policy-pack${policyConfig ? ` --policy-pack-config ${path.relative(ws.projectDir, policyConfig)}` : ""} ...`);
    const { result, events } = await preview(t, ws, stack, policyConfig, "preview");
    checks.push({ name: `${stack}: preview succeeds`, ok: result.code === 0, detail: result.code === 0 ? `exit 0 in ${(result.ms / 1000).toFixed(1)} s` : `exit ${result.code}\n${tail(outputOf(result))}`, ms: result.ms });
    let parsed;
    try {
        parsed = parsePreviewJson(result.stdout);
    } catch (e) {
        checks.push({ name: `${stack}: preview --json is readable`, ok: false, detail: `${e instanceof Error ? e.message : String(e)}\n${tail(result.stderr)}` });
        return checks;
    }
    const cmp = comparePreview(plan.resources, parsed);
    checks.push({
        name: `${stack}: resources to create = the offline plan's (${plan.resources.length})`,
        ok: cmp.createCount === plan.resources.length,
        detail: `engine creates ${cmp.createCount}, offline plan has ${plan.resources.length}`,
    });
    checks.push({
        name: `${stack}: preview matches the offline plan resource for resource (type and name)`,
        ok: cmp.onlyInEngine.length === 0 && cmp.onlyInPlan.length === 0 && cmp.notCreate.length === 0,
        detail: [
            cmp.onlyInEngine.length ? `only in the engine: ${cmp.onlyInEngine.join(", ")}` : "",
            cmp.onlyInPlan.length ? `only in the offline plan: ${cmp.onlyInPlan.join(", ")}` : "",
            cmp.notCreate.length ? `not a create: ${cmp.notCreate.join(", ")}` : "",
        ].filter(Boolean).join("\n") || `${cmp.matched} resources match`,
    });
    const mandatory = mandatoryRules(policies, policyConfig ? JSON.parse(fs.readFileSync(policyConfig, "utf8")) as Record<string, unknown> : {});
    const verdict = policyVerdict(events, PACK, mandatory);
    checks.push({
        name: `${stack}: policy pack ran its ${mandatory.length} mandatory rules and passed`,
        ok: verdict.ran && verdict.notRun.length === 0 && verdict.mandatoryViolations.length === 0,
        detail: !verdict.ran
            ? `no policy summary from pack ${PACK} in the event log`
            : [
                verdict.notRun.length ? `mandatory rules that did not run: ${verdict.notRun.join(", ")}` : "",
                verdict.mandatoryViolations.length ? `mandatory violations:\n${verdict.mandatoryViolations.join("\n")}` : "",
            ].filter(Boolean).join("\n") || `${verdict.passed.length} rules passed; ${verdict.undecided.length} advisory "can't decide during preview": ${verdict.undecided.join(", ") || "none"}`,
    });
    return checks;
}

/**
 * After a local `pulumi up` with the stand-ins every output is known (the answers' state), as on
 * every preview after the first deploy: the second preview must change nothing, and every
 * mandatory rule must decide and pass (none left "can't run during preview").
 */
export async function decidedPreviewChecks(t: Toolchain, ws: Workspace, stack: string, log: (l: string) => void): Promise<Check[]> {
    const checks: Check[] = [];
    log(`test:engine: ${stack}: pulumi up (stand-ins), then a second preview ...`);
    const up = await runCli(t, ws, ["up", "--yes", "--skip-preview", "--stack", stack, "--non-interactive", "--color", "never"]);
    checks.push({ name: `${stack}: a local pulumi up with the stand-in providers succeeds`, ok: up.code === 0, detail: up.code === 0 ? `exit 0 in ${(up.ms / 1000).toFixed(1)} s` : `exit ${up.code}\n${tail(outputOf(up))}` });
    if (up.code !== 0) return checks;
    const policyConfig = stackPolicyConfig(ws.projectDir, stack);
    const { result, events } = await preview(t, ws, stack, policyConfig, "second");
    let changed: string[] = [`no readable --json (exit ${result.code})`];
    try {
        changed = parsePreviewJson(result.stdout).steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn}`);
    } catch {
        // reported through `changed`
    }
    checks.push({
        name: `${stack}: the preview after it succeeds and changes nothing`,
        ok: result.code === 0 && changed.length === 0,
        detail: result.code !== 0 ? `exit ${result.code}\n${tail(outputOf(result))}` : changed.length ? changed.slice(0, 10).join("\n") : "every step is same",
    });
    const mandatory = mandatoryRules(policies, policyConfig ? JSON.parse(fs.readFileSync(policyConfig, "utf8")) as Record<string, unknown> : {});
    const verdict = policyVerdict(events, PACK, mandatory);
    const undecidedMandatory = verdict.undecided.filter((n) => mandatory.includes(n));
    const notPassed = mandatory.filter((n) => !verdict.passed.includes(n));
    checks.push({
        name: `${stack}: with every value known, all ${mandatory.length} mandatory rules decide and pass`,
        ok: verdict.ran && notPassed.length === 0 && undecidedMandatory.length === 0 && verdict.mandatoryViolations.length === 0,
        detail: [
            notPassed.length ? `not passed: ${notPassed.join(", ")}` : "",
            undecidedMandatory.length ? `still undecided: ${undecidedMandatory.join(", ")}` : "",
            verdict.mandatoryViolations.length ? `violations:\n${verdict.mandatoryViolations.join("\n")}` : "",
        ].filter(Boolean).join("\n") || `${verdict.passed.length} rules passed`,
    });
    return checks;
}

/** The negative cases: the real CLI must refuse each. */
export async function negativeChecks(t: Toolchain, ws: Workspace, log: (l: string) => void): Promise<Check[]> {
    const checks: Check[] = [];
    const scratch = path.join(ws.projectDir, "..");

    // 1. A key Pulumi.yaml declares without a default, missing from the stack: the CLI stops
    //    before the program runs (pulumi/pulumi pkg/cmd/pulumi: project config validation).
    const missing = "dnsZoneName";
    const source = fs.readFileSync(path.join(ws.projectDir, "stacks", "Pulumi.dev.yaml"), "utf8");
    const withoutKey = source.split("\n").filter((l) => !l.trimStart().startsWith(`aks-platform:${missing}:`)).join("\n");
    fs.writeFileSync(path.join(ws.projectDir, "stacks", "Pulumi.nokey.yaml"), withoutKey);
    await selectStack(t, ws, "nokey");
    log("test:engine: negative: a declared key with no value ...");
    const nokey = await preview(t, ws, "nokey", undefined, "nokey");
    const nokeyOut = outputOf(nokey.result);
    const programRan = nokey.events.some((e) => e.resourcePreEvent !== undefined);
    checks.push({
        name: `negative: a declared project key with no value (${missing}) stops the CLI`,
        ok: nokey.result.code !== 0 && nokeyOut.includes(missing) && !programRan,
        detail: `exit ${nokey.result.code}; ${programRan ? "the program ran (it should not have)" : "no resource was registered"}\n${tail(nokeyOut, 6)}`,
    });

    // 2. A mandatory violation: a fixture program (engine/fixtures/exposed-service) with one
    //    LoadBalancer Service outside the allowlist, previewed with this project's pack. (The
    //    platform itself cannot be made to violate a rule that a first preview can decide: its
    //    Kubernetes outputs are unknown until the cluster exists.)
    const fixture = path.join(scratch, "exposed-service");
    fs.rmSync(fixture, { recursive: true, force: true });
    fs.cpSync(path.join(ENGINE_DIR, "fixtures", "exposed-service"), fixture, { recursive: true });
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(fixture, "node_modules"), "dir");
    const fx: Workspace = { ...ws, projectDir: fixture };
    if ((await runCli(t, fx, ["stack", "select", "negative", "--non-interactive"])).code !== 0) {
        const init = await runCli(t, fx, ["stack", "init", "negative", "--secrets-provider", "passphrase", "--non-interactive"]);
        if (init.code !== 0) throw new Error(`stack init in the fixture failed: ${outputOf(init)}`);
    }
    log("test:engine: negative: a mandatory violation ...");
    const eventLog = path.join(scratch, "negative-violation.events.jsonl");
    const violation = await runCli(t, fx, ["preview", "--stack", "negative", "--non-interactive", "--color", "never", "--json", "--event-log", eventLog,
        "--policy-pack", path.join(ws.projectDir, "policy-pack")]);
    const violationEvents = fs.existsSync(eventLog) ? parseEventLog(fs.readFileSync(eventLog, "utf8")) : [];
    const named = violationEvents.filter((e) => e.policyEvent?.policyName === "no-exposed-services" && e.policyEvent.enforcementLevel === "mandatory");
    checks.push({
        name: "negative: a mandatory violation fails the preview and names the rule",
        ok: violation.code !== 0 && named.length > 0,
        detail: `exit ${violation.code}; ${named.length} mandatory no-exposed-services event(s)${named[0] ? `: ${named[0].policyEvent?.message.trim().split("\n").slice(-1)[0] ?? ""}` : `\n${tail(outputOf(violation), 8)}`}`,
    });

    // 3. A policy config that breaks the rule's config schema: the CLI refuses it before previewing.
    const bad = path.join(scratch, "bad-policy-config.json");
    fs.writeFileSync(bad, JSON.stringify({ "no-exposed-services": { exposedServiceAllowlist: "nginx-ingress/*" } }, null, 2));
    await selectStack(t, ws, "dev");
    log("test:engine: negative: a policy config the CLI refuses ...");
    const refused = await preview(t, ws, "dev", bad, "refused");
    const refusedOut = outputOf(refused.result);
    checks.push({
        name: "negative: a policy config that breaks the rule's schema is refused",
        ok: refused.result.code !== 0 && refusedOut.includes("no-exposed-services") && refusedOut.includes("exposedServiceAllowlist") && !refused.events.some((e) => e.resourcePreEvent !== undefined),
        detail: `exit ${refused.result.code}\n${tail(refusedOut, 6)}`,
    });
    return checks;
}

export async function main(argv: string[]): Promise<number> {
    const cli = parseCli("test:engine", argv, { usage: USAGE, options: OPTIONS });
    if (cli.stop) return cli.code;
    let format: TextOrJson;
    try {
        format = oneOf("format", cli.values.format, TEXT_OR_JSON, "text");
    } catch (e) {
        return usageFailure("test:engine", USAGE, e).code;
    }
    const log = (l: string): void => { console.error(l); };
    const started = Date.now();
    const t = ensureToolchain(log);
    console.log(t.version);
    log(describeToolchain(t));
    if (t.languageHostNote) log(`engine: why the stand-in language host: ${t.languageHostNote.split("\n").slice(0, 3).join(" | ")}`);
    fs.rmSync(path.join(ENGINE_OUT, "test"), { recursive: true, force: true });
    const ws = prepareWorkspace(t, "test");
    const all = stacksIn(path.join(ws.projectDir, "stacks"));
    const chosen = cli.values.stack ?? all;
    const unknown = chosen.filter((s) => !all.includes(s));
    if (unknown.length > 0) return usageFailure("test:engine", USAGE, new UsageError(`--stack ${unknown[0]}: no stacks/Pulumi.${unknown[0]}.yaml (stacks: ${all.join(", ")})`)).code;
    const checks: Check[] = [];
    for (const stack of chosen) {
        try {
            checks.push(...await stackChecks(t, ws, stack, log));
        } catch (e) {
            checks.push({ name: `${stack}: engine run`, ok: false, detail: e instanceof Error ? e.message : String(e) });
        }
    }
    if (chosen.includes(DECIDED_STACK)) {
        try {
            checks.push(...await decidedPreviewChecks(t, ws, DECIDED_STACK, log));
        } catch (e) {
            checks.push({ name: `${DECIDED_STACK}: up and second preview`, ok: false, detail: e instanceof Error ? e.message : String(e) });
        }
    }
    if (cli.values.stack === undefined) {
        try {
            checks.push(...await negativeChecks(t, ws, log));
        } catch (e) {
            checks.push({ name: "negative cases", ok: false, detail: e instanceof Error ? e.message : String(e) });
        }
    }
    const passed = checks.filter((c) => c.ok).length;
    const failed = checks.length - passed;
    if (format === "json") {
        console.log(JSON.stringify({ cli: t.version, source: t.source, languageHost: t.languageHost, elapsedMs: Date.now() - started, checks }, null, 2));
    } else {
        for (const c of checks) {
            console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}`);
            if (!c.ok || c.detail.split("\n").length === 1) console.log(c.detail.split("\n").map((l) => `       ${l}`).join("\n"));
        }
        console.log(`test:engine: ${t.version}, ${t.languageHost} language host, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
        console.error(`test:engine: ${e instanceof Error ? e.message : String(e)}`);
        console.log("0 passed, 1 failed");
        process.exitCode = 1;
    });
}
