/**
 * What every rule is made of: its metadata, a reporter that writes "problem on <resource>. Fix: ..."
 * messages, and the handling of preview-time unknowns.
 *
 * Unknowns: the runtime wraps props in `unknownCheckingProxy`, which throws `UnknownValueError` when a
 * rule reads a value that is not known yet (an output of a resource not created yet), and turns that
 * error into an advisory "can't run policy during preview" diagnostic. Rules read the parts they
 * judge separately (per rule entry, per peer), so a violation visible in the known parts is
 * reported, and only what depends on an unknown is undecided. At the end a rule throws one
 * `Undecided` (a subclass of `UnknownValueError`, so the runtime and `engine.ts` report it the same
 * way: advisory), listing each case with what it depends on: the property path that was unknown, or
 * the object and feature the analyzer cannot evaluate. Other errors are errors.
 */
import {
    EnforcementLevel,
    ReportViolation,
    ResourceValidation,
    ResourceValidationPolicy,
    Severity,
    StackValidationPolicy,
    UnknownValueError,
} from "@pulumi/policy";
import { README_URL } from "../../config";

/** The runtime's class, as the pack resolves it (policy-pack/ may have its own node_modules, so callers outside it import it from here). */
export { UnknownValueError };

/** The runtime's sentinel for an unknown string (`@pulumi/policy`'s proxy checks against it). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // one of k8s.ts UNKNOWN_SENTINELS (the SDK's string sentinel)

/** Metadata every rule carries. */
export interface RuleMeta {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity: Severity;
    remediationSteps: string;
    url: string;
}

export type PackPolicy = (ResourceValidationPolicy | StackValidationPolicy) & RuleMeta;

export function isStackPolicy(p: PackPolicy): p is StackValidationPolicy & RuleMeta {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The README anchor of a rule (its section title is the rule's name). */
export function readmeUrl(name: string): string {
    return `${README_URL}#${name}`;
}

/** Thrown at the end of a rule that could not decide something; the runtime reports it as advisory. */
export class Undecided extends UnknownValueError {
    readonly reasons: string[];
    constructor(rule: string, reasons: string[]) {
        super(UNKNOWN_STRING, []);
        this.reasons = reasons;
        // UnknownValueError's published typings omit Error's members; it is an Error at run time.
        Object.assign(this, {
            message: `${rule} could not decide ${reasons.length === 1 ? "one case" : `${reasons.length} cases`}: ${reasons.join("; ")}`,
            name: "Undecided",
        });
    }
}

export function isUnknownError(e: unknown): e is Error {
    return e instanceof UnknownValueError;
}

/** A resource as rules name it in messages. */
export interface Subject {
    urn?: string;
    /** e.g. `Ingress demo/demo (resource "demo-ingress")`. */
    label: string;
}

/**
 * Collects a rule's findings. `violation` reports at once; `undecided` is collected and thrown as
 * one `Undecided` by `finish()`, after every decidable violation has been reported.
 */
export class Reporter {
    private readonly undecidedReasons: string[] = [];
    /** Violations reported so far (tests and the engine read the messages from the report callback). */
    count = 0;

    constructor(
        private readonly rule: string,
        private readonly report: ReportViolation,
    ) {}

    violation(subject: Subject, problem: string, fix: string): void {
        this.count++;
        this.report(`${subject.label}: ${problem}. Fix: ${fix}`, subject.urn);
    }

    undecided(subject: Subject, reason: string): void {
        this.undecidedReasons.push(`${subject.label}: ${reason}`);
    }

    /** Runs `fn`; an unknown value read inside it makes this subject undecided instead of failing the rule. */
    guard<T>(subject: Subject, fn: () => T): T | undefined {
        try {
            return fn();
        } catch (e) {
            if (e instanceof Undecided) {
                this.undecidedReasons.push(...e.reasons);
                return undefined;
            }
            if (isUnknownError(e)) {
                // The runtime's message names the path: "string value at .spec.x can't be known during preview".
                this.undecided(subject, e.message);
                return undefined;
            }
            throw e;
        }
    }

    async guardAsync<T>(subject: Subject, fn: () => Promise<T>): Promise<T | undefined> {
        try {
            return await fn();
        } catch (e) {
            return this.guard(subject, () => {
                throw e;
            });
        }
    }

    /** What could not be decided so far (`Subject: reason` lines). */
    undecidedReasonsList(): string[] {
        return [...this.undecidedReasons];
    }

    /** Adds reasons another reporter collected (a shared computation's unknowns). */
    addUndecided(reasons: readonly string[]): void {
        this.undecidedReasons.push(...reasons);
    }

    get undecidedCount(): number {
        return this.undecidedReasons.length;
    }

    finish(): void {
        if (this.undecidedReasons.length > 0) throw new Undecided(this.rule, this.undecidedReasons);
    }
}

import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { configSchemaFor, PackConfig, resolveConfig } from "../../config";
import { rawProps, ResourceLike, subjectOf } from "./k8s";

export type ResourceCheck = (r: ResourceLike, cfg: PackConfig, rep: Reporter, args: ResourceValidationArgs) => void;
export type StackCheck = (resources: PolicyResource[], cfg: PackConfig, rep: Reporter, args: StackValidationArgs) => void | Promise<void>;

/**
 * A per-resource rule: `applies` filters by type (cheap), `check` runs guarded against unknowns. A
 * rule for exactly one type names it: the validation then carries `__pulumiType`, as
 * @pulumi/policy's validateResourceOfType does, and the SDK's server skips every other resource
 * without deserializing it (server.js makeAnalyzeRpcFun, "Policy only applies to resources of type").
 */
export function resourceRule(
    meta: Omit<RuleMeta, "url">,
    keys: readonly (keyof PackConfig)[],
    applies: string | ((type: string) => boolean),
    check: ResourceCheck,
): PackPolicy {
    const matches = typeof applies === "string" ? (type: string) => type === applies : applies;
    const validate: ResourceValidation = (args, report) => {
        if (!matches(args.type)) return;
        const cfg = resolveConfig(args.getConfig<object>());
        const rep = new Reporter(meta.name, report);
        const r: ResourceLike = { type: args.type, name: args.name, urn: args.urn, props: args.props as Record<string, unknown> };
        rep.guard(subjectOf(r), () => check(r, cfg, rep, args));
        rep.finish();
    };
    return {
        ...meta,
        url: readmeUrl(meta.name),
        configSchema: configSchemaFor(keys),
        validateResource: typeof applies === "string" ? Object.assign(validate, { __pulumiType: applies }) : validate,
    };
}

/** The one type a validation is for, when it says (`__pulumiType`, as @pulumi/policy's policy.js getPulumiType reads it). */
export function pulumiTypeOfValidation(v: unknown): string | undefined {
    const t = (v as { __pulumiType?: unknown } | null)?.__pulumiType;
    return typeof t === "string" && t.length > 0 ? t : undefined;
}

/**
 * Stack rules read outputs, and during a preview a resource whose provider is not configured yet
 * (the Kubernetes provider's kubeconfig comes from the cluster being created) has no outputs at
 * all: the engine hands back an empty map meaning "all unknown" (pulumi/pulumi
 * pkg/resource/plugin/provider_plugin.go, Create with Preview and unknown config; AnalyzeStack gets
 * outputs: pkg/resource/deploy/step_generator.go). Such a resource's props throw `Undecided` on
 * every read, so rules report it as undecided instead of "not set". Found by `npm run test:engine`.
 */
export function withUnknownOutputs(r: PolicyResource): PolicyResource {
    if (!/^(kubernetes|azure-native):/.test(r.type) || Object.keys(rawProps(r) ?? {}).length > 0) return r;
    const reason = `${r.type} ${r.name}: all outputs unknown until the update (its provider's configuration is not known during this preview)`;
    const props = new Proxy({}, {
        get: (_target, key) => {
            if (typeof key === "symbol") return undefined;
            throw new Undecided("props", [reason]);
        },
    });
    return { ...r, props };
}

/** A rule over the whole stack (it relates resources); `check` guards each resource itself. */
export function stackRule(meta: Omit<RuleMeta, "url">, keys: readonly (keyof PackConfig)[], check: StackCheck): PackPolicy {
    return {
        ...meta,
        url: readmeUrl(meta.name),
        configSchema: configSchemaFor(keys),
        validateStack: async (args, report) => {
            const cfg = resolveConfig(args.getConfig<object>());
            const rep = new Reporter(meta.name, report);
            const resources = args.resources.map(withUnknownOutputs);
            await rep.guardAsync({ label: "the stack" }, async () => check(resources, cfg, rep, args));
            rep.finish();
        },
    };
}
