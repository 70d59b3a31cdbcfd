/**
 * Runs the pack's rules over captured resources the way the Pulumi policy engine does:
 * resource rules once per resource (with `ResourceValidationArgs`), stack rules once over the whole
 * list (with `PolicyResource`s whose parent and dependencies point at each other), props wrapped in
 * `@pulumi/policy`'s `unknownCheckingProxy`, enforcement levels from the policy config, an
 * `UnknownValueError` turned into an advisory "could not decide" finding, and `notApplicable()`
 * recorded, not reported. The CLI, the tests, the mutation suite and the benchmark all use this.
 */
import {
    EnforcementLevel,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    Severity,
    StackValidationArgs,
    unknownCheckingProxy,
} from "@pulumi/policy";
import type { PlanResource } from "./plan-resource";
import { policies as allPolicies } from "./rules";
import { isStackPolicy, isUnknownError, PackPolicy } from "./rules/lib/rule";

export interface Finding {
    policy: string;
    displayName: string;
    severity: Severity;
    /** What the engine would do: mandatory blocks the update; undecided findings are always advisory. */
    enforcementLevel: "advisory" | "mandatory";
    message: string;
    /** The resource the finding is about (stack rules may report on the stack as a whole). */
    urn?: string;
    resourceType?: string;
    resourceName?: string;
    remediation: string;
    url: string;
    /** True when the rule could not decide (values unknown at preview), not a violation. */
    undecided: boolean;
}

export interface NotApplicable {
    policy: string;
    urn?: string;
    reason: string;
}

export interface EngineResult {
    findings: Finding[];
    notApplicable: NotApplicable[];
}

/** Pulumi's policy config file: `{ "<policy>": "<level>" | { enforcementLevel?, ...config }, "all": ... }`. */
export type PolicyConfigFile = Record<string, unknown>;

export interface EngineOptions {
    policyConfig?: PolicyConfigFile;
    /** Defaults to every rule of the pack. */
    policies?: readonly PackPolicy[];
    stackTags?: ReadonlyMap<string, string>;
}

class NotApplicableSignal extends Error {
    constructor(readonly reason: string) {
        super(`not applicable: ${reason}`);
    }
}

const LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

function levelOf(entry: unknown): EnforcementLevel | undefined {
    const v = typeof entry === "string" ? entry : typeof entry === "object" && entry !== null ? (entry as Record<string, unknown>).enforcementLevel : undefined;
    return typeof v === "string" && LEVELS.includes(v) ? (v as EnforcementLevel) : undefined;
}

/** The enforcement level the engine applies: the policy's config entry, then `all`, then the rule's own. */
export function enforcementOf(p: PackPolicy, cfg: PolicyConfigFile): EnforcementLevel {
    return levelOf(cfg[p.name]) ?? levelOf(cfg.all) ?? p.enforcementLevel;
}

/** What `getConfig()` returns for a policy: its config entry without enforcementLevel. */
export function policyConfigOf(p: PackPolicy, cfg: PolicyConfigFile): object {
    const entry = cfg[p.name];
    if (typeof entry !== "object" || entry === null) return {};
    const rest: Record<string, unknown> = { ...(entry as Record<string, unknown>) };
    delete rest.enforcementLevel;
    return JSON.parse(JSON.stringify(rest)) as object;
}

function pulumiTypeOf(cls: unknown): string | undefined {
    const t = (cls as { __pulumiType?: unknown }).__pulumiType;
    return typeof t === "string" ? t : undefined;
}

function optionsOf(r: PlanResource): PolicyResourceOptions {
    return {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

type Props = Record<string, unknown>;

/** Props as the runtime hands them over: a private copy behind the unknown-checking proxy. */
function wrap(props: Props): Props {
    return unknownCheckingProxy(JSON.parse(JSON.stringify(props ?? {}))) as Props;
}

/** Stack resources linked like the engine links them (parent, dependencies, propertyDependencies). */
export function toPolicyResources(resources: readonly PlanResource[], wrapped?: readonly Props[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const out = resources.map((r, i) => {
        const type = r.type;
        const props = wrapped?.[i] ?? wrap(r.props);
        const pr: PolicyResource = {
            type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => pulumiTypeOf(cls) === type,
            asType: ((cls: unknown) => (pulumiTypeOf(cls) === type ? props : undefined)) as PolicyResource["asType"],
        };
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = out[i];
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) pr.parent = parent;
        pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined);
        }
    });
    return out;
}

function describeError(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

/** Runs every (enabled) rule over the resources; never throws for a rule's unknowns. */
export async function runPolicies(resources: readonly PlanResource[], options: EngineOptions = {}): Promise<EngineResult> {
    const cfg = options.policyConfig ?? {};
    const policies = options.policies ?? allPolicies;
    const stackTags = options.stackTags ?? new Map<string, string>();
    const findings: Finding[] = [];
    const notApplicable: NotApplicable[] = [];
    const notApplicableFn = (reason?: string): never => {
        throw new NotApplicableSignal(reason ?? "");
    };
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const finding = (p: PackPolicy, level: EnforcementLevel, message: string, urn: string | undefined, undecided: boolean): Finding => {
        const r = urn ? byUrn.get(urn) : undefined;
        return {
            policy: p.name,
            displayName: p.displayName,
            severity: p.severity,
            enforcementLevel: undecided || level !== "mandatory" && level !== "remediate" ? "advisory" : "mandatory",
            message,
            urn,
            resourceType: r?.type,
            resourceName: r?.name,
            remediation: p.remediationSteps,
            url: p.url,
            undecided,
        };
    };
    // One wrapped copy per resource, shared by the rules (the runtime makes one per call; rules never write).
    const wrapped = resources.map((r) => ({ r, props: wrap(r.props) }));
    let stackResources: PolicyResource[] | undefined;

    for (const p of policies) {
        const level = enforcementOf(p, cfg);
        if (level === "disabled") continue;
        const config = policyConfigOf(p, cfg);
        if (isStackPolicy(p)) {
            stackResources ??= toPolicyResources(resources, wrapped.map((w) => w.props));
            const args: StackValidationArgs = {
                resources: stackResources,
                stackTags,
                getConfig: <T extends object>() => config as T,
                notApplicable: notApplicableFn,
            };
            try {
                await p.validateStack(args, (message, urn) => findings.push(finding(p, level, message, urn, false)));
            } catch (e) {
                if (e instanceof NotApplicableSignal) notApplicable.push({ policy: p.name, reason: e.reason });
                else if (isUnknownError(e)) findings.push(finding(p, level, `can't fully run ${p.name} during preview: ${describeError(e)}`, undefined, true));
                else throw new Error(`policy ${p.name} failed on the stack: ${describeError(e)}`);
            }
            continue;
        }
        const validations = p.validateResource === undefined ? [] : Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
        for (const { r, props } of wrapped) {
            const args: ResourceValidationArgs = {
                type: r.type,
                props,
                urn: r.urn,
                name: r.name,
                opts: optionsOf(r),
                stackTags,
                isType: (cls) => pulumiTypeOf(cls) === r.type,
                asType: ((cls: unknown) => (pulumiTypeOf(cls) === r.type ? props : undefined)) as ResourceValidationArgs["asType"],
                getConfig: <T extends object>() => config as T,
                notApplicable: notApplicableFn,
            };
            for (const validate of validations) {
                try {
                    // Await only real promises: a microtask per resource and rule adds up on big stacks.
                    const pending = validate(args, (message) => findings.push(finding(p, level, message, r.urn, false)));
                    if (pending instanceof Promise) await pending;
                } catch (e) {
                    if (e instanceof NotApplicableSignal) notApplicable.push({ policy: p.name, urn: r.urn, reason: e.reason });
                    else if (isUnknownError(e)) findings.push(finding(p, level, `can't fully run ${p.name} during preview: ${describeError(e)}`, r.urn, true));
                    else throw new Error(`policy ${p.name} failed on ${r.urn}: ${describeError(e)}`);
                }
            }
        }
    }
    return { findings, notApplicable };
}

/** Findings that would block `pulumi up`. */
export function mandatoryViolations(result: EngineResult): Finding[] {
    return result.findings.filter((f) => f.enforcementLevel === "mandatory" && !f.undecided);
}
