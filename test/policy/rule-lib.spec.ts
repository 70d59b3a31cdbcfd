/**
 * What every rule is made of (policy-pack/rules/lib/rule.ts): the reporter's message form, undecided
 * cases gathered into one advisory `Undecided` (a subclass of @pulumi/policy's UnknownValueError, which
 * the runtime reports as "can't run policy during preview"), a typed rule that names its one resource
 * type as `validateResourceOfType` does (`__pulumiType`, @pulumi/policy policy.js), and a preview's
 * all-unknown outputs (an empty map from the engine) read as undecided.
 */
import * as assert from "assert";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { pulumiTypeOfValidation, Reporter, resourceRule, stackRule, Undecided, UnknownValueError, withUnknownOutputs } from "../../policy-pack/rules/lib/rule";

const meta = { name: "t", displayName: "T", description: "d", enforcementLevel: "mandatory" as const, severity: "high" as const, remediationSteps: "r" };

describe("rule building blocks (lib/rule.ts)", () => {
    it("words undecided cases as one advisory error, counting them", () => {
        const one = new Undecided("rule-a", ["x: unknown"]);
        assert.ok(one instanceof UnknownValueError);
        assert.strictEqual((one as unknown as Error).name, "Undecided");
        assert.strictEqual((one as unknown as Error).message, "rule-a could not decide one case: x: unknown");
        assert.strictEqual((new Undecided("rule-a", ["a", "b"]) as unknown as Error).message, "rule-a could not decide 2 cases: a; b");
        assert.deepStrictEqual(one.reasons, ["x: unknown"]);
    });

    it("reports violations as 'subject: problem. Fix: fix' on the subject's URN, and counts them", () => {
        const seen: [string, string | undefined][] = [];
        const rep = new Reporter("r", (m, urn) => seen.push([m, urn]));
        rep.violation({ urn: "urn:a", label: "Service a/s" }, "is a LoadBalancer", "use ClusterIP");
        rep.violation({ label: "the stack" }, "p", "f");
        assert.deepStrictEqual(seen, [["Service a/s: is a LoadBalancer. Fix: use ClusterIP", "urn:a"], ["the stack: p. Fix: f", undefined]]);
        assert.strictEqual(rep.count, 2);
    });

    it("turns an unknown value read inside a guard into an undecided case, keeps other errors, and throws them all at the end", () => {
        const rep = new Reporter("r", () => undefined);
        assert.strictEqual(rep.guard({ label: "A" }, () => 7), 7);
        assert.strictEqual(rep.guard({ label: "A" }, () => { throw new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", [".spec.x"]); }), undefined);
        assert.strictEqual(rep.guard({ label: "B" }, () => { throw new Undecided("inner", ["B: its port", "B: its host"]); }), undefined);
        assert.throws(() => rep.guard({ label: "C" }, () => { throw new TypeError("bug"); }), TypeError);
        rep.addUndecided(["D: shared"]);
        const list = rep.undecidedReasonsList();
        assert.strictEqual(list.length, 4);
        assert.match(list[0], /^A: /);
        assert.deepStrictEqual(list.slice(1), ["B: its port", "B: its host", "D: shared"]);
        list.push("mutating the copy");
        assert.strictEqual(rep.undecidedCount, 4, "the list is a copy");
        assert.throws(() => rep.finish(), (e: unknown) => e instanceof Undecided && e.reasons.length === 4);
        new Reporter("quiet", () => undefined).finish();
    });

    it("guards async checks the same way", async () => {
        const rep = new Reporter("r", () => undefined);
        assert.strictEqual(await rep.guardAsync({ label: "A" }, async () => 1), 1);
        assert.strictEqual(await rep.guardAsync({ label: "A" }, async () => { throw new Undecided("x", ["A: later"]); }), undefined);
        await assert.rejects(rep.guardAsync({ label: "A" }, async () => { throw new RangeError("bug"); }), RangeError);
        assert.deepStrictEqual(rep.undecidedReasonsList(), ["A: later"]);
    });

    it("a rule for one type names it, so the runtime skips every other type; a rule with a predicate does not", () => {
        const checked: string[] = [];
        const typed = resourceRule(meta, [], "kubernetes:core/v1:Service", (r) => { checked.push(r.name); });
        const validate = (typed as ResourceValidationPolicy).validateResource as (args: ResourceValidationArgs, report: () => void) => void;
        assert.strictEqual(pulumiTypeOfValidation(validate), "kubernetes:core/v1:Service");
        const args = (type: string, name: string) => ({ type, name, urn: `urn:${name}`, props: {}, getConfig: () => ({}) }) as unknown as ResourceValidationArgs;
        validate(args("kubernetes:core/v1:Pod", "pod"), () => undefined);
        validate(args("kubernetes:core/v1:Service", "svc"), () => undefined);
        assert.deepStrictEqual(checked, ["svc"]);
        const byPredicate = resourceRule(meta, [], (t) => t.startsWith("kubernetes:"), () => undefined);
        assert.strictEqual(pulumiTypeOfValidation((byPredicate as ResourceValidationPolicy).validateResource), undefined);
        assert.strictEqual(pulumiTypeOfValidation(Object.assign(() => undefined, { __pulumiType: "" })), undefined);
        assert.strictEqual(pulumiTypeOfValidation(null), undefined);
        assert.strictEqual(typed.url.endsWith("#t"), true);
    });

    it("reads a preview's empty outputs of a Kubernetes or Azure resource as all unknown, and leaves others as they are", () => {
        const r = (type: string, props: Record<string, unknown>) => ({ type, name: "n", urn: "urn:n", props, dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource;
        const empty = withUnknownOutputs(r("kubernetes:core/v1:Service", {}));
        assert.throws(() => (empty.props as Record<string, unknown>).spec, (e: unknown) => e instanceof Undecided && e.reasons[0] === "kubernetes:core/v1:Service n: all outputs unknown until the update (its provider's configuration is not known during this preview)");
        assert.strictEqual((empty.props as Record<symbol, unknown>)[Symbol.iterator], undefined, "symbol reads (inspection) do not throw");
        assert.throws(() => (withUnknownOutputs(r("azure-native:dns:Zone", {})).props as Record<string, unknown>).name, Undecided);
        const known = r("kubernetes:core/v1:Service", { spec: {} });
        assert.strictEqual(withUnknownOutputs(known), known);
        const other = r("random:index:RandomId", {});
        assert.strictEqual(withUnknownOutputs(other), other);
        const prefixed = r("xkubernetes:core/v1:Service", {});
        assert.strictEqual(withUnknownOutputs(prefixed), prefixed, "the provider is the type's first part");
    });

    it("a stack rule reports what it could not decide about the stack itself under 'the stack'", async () => {
        const rule = stackRule(meta, [], () => { throw new UnknownValueError("04da6b54-80e4-46f7-96ec-b56ff0331ba9", [".x"]); });
        const validate = (rule as StackValidationPolicy).validateStack as (args: StackValidationArgs, report: () => void) => Promise<void>;
        await assert.rejects(validate({ resources: [], getConfig: () => ({}) } as unknown as StackValidationArgs, () => undefined), (e: unknown) => e instanceof Undecided && /^the stack: /.test(e.reasons[0]));
    });
});
