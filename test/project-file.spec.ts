/**
 * What the config key table generates: Pulumi.yaml's `config:` block (under the Pulumi CLI's rule
 * for declared keys), the stack-file JSON Schema every stack file names, and docs/configuration.md's table.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { parse as parseYaml } from "yaml";
import { KeyDef, KEYS, PROJECT } from "../components/config";
import {
    CONFIG_DOC_FILE, CONFIG_END_MARKER, CONFIG_START_MARKER, renderConfigTable, renderStackFileSchema, stackFileSchema, STACK_SCHEMA_FILE, STACK_SCHEMA_HEADER, withProjectConfig,
} from "../plan/config-docs";
import { listStacks, STACKS_DIR } from "../plan/stack-config";

const ROOT = path.join(__dirname, "..");
interface Declaration { type: string; items?: { type: string }; description?: string; default?: unknown; value?: unknown }
const projectText = fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
const project = parseYaml(projectText) as { name: string; runtime: { name: string }; stackConfigDir: string; config: Record<string, Declaration> };

/**
 * The Pulumi CLI's rule (pulumi/pulumi pkg/workspace/config.go, mergeConfig): a key declared in
 * Pulumi.yaml without `default` or `value` must be set on every stack, or `pulumi preview` stops with
 * "Stack '<name>' is missing configuration values" before the program runs.
 */
function keysTheCliRequires(config: Record<string, Declaration>): string[] {
    return Object.entries(config).filter(([, d]) => !("default" in d) && !("value" in d)).map(([k]) => k);
}

function stackConfig(file: string): Record<string, unknown> {
    return ((parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
}

describe("Pulumi.yaml", () => {
    it("is a TypeScript Node.js project reading stacks/", () => {
        assert.strictEqual(project.name, PROJECT);
        assert.strictEqual(project.runtime.name, "nodejs");
        assert.strictEqual(project.stackConfigDir, "stacks");
    });

    it("is what `npm run docs` generates from the key table (no hand edits drift)", () => {
        assert.strictEqual(withProjectConfig(projectText), projectText);
    });

    it("declares without a default exactly the keys the program requires", () => {
        const required = (Object.entries(KEYS) as [string, KeyDef][]).filter(([, d]) => d.required && d.namespace === undefined).map(([k]) => k).sort();
        assert.deepStrictEqual(keysTheCliRequires(project.config).sort(), required);
    });

    it("declares every other key with the table's own default, and only keys the program reads", () => {
        for (const [key, d] of Object.entries(project.config)) {
            const def: KeyDef | undefined = (KEYS as Record<string, KeyDef>)[key];
            assert.ok(def, `Pulumi.yaml declares unknown key ${key}`);
            if ("default" in d) assert.deepStrictEqual(d.default, def.default, `${key}: Pulumi.yaml default differs from components/config/keys.ts`);
        }
    });

    for (const stack of listStacks()) {
        it(`the CLI's rule holds on stack ${stack}: every key it requires is set`, () => {
            const config = stackConfig(path.join(STACKS_DIR, `Pulumi.${stack}.yaml`));
            const missing = keysTheCliRequires(project.config).filter((k) => !(`${project.name}:${k}` in config) && !(k in config));
            assert.deepStrictEqual(missing, [], `Pulumi.${stack}.yaml leaves keys unset that the Pulumi CLI requires`);
        });
    }

    it("the check catches a declared key without a default that a stack leaves unset", () => {
        const broken = { ...project.config, kubernetesVersion: { type: "string", description: "x" } };
        const config = stackConfig(path.join(STACKS_DIR, "Pulumi.dev.yaml"));
        assert.ok(keysTheCliRequires(broken).some((k) => !(`${project.name}:${k}` in config)));
    });
});

describe("stack-file JSON Schema", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(stackFileSchema());

    it("is committed as generated", () => {
        assert.strictEqual(fs.readFileSync(path.join(ROOT, STACK_SCHEMA_FILE), "utf8"), renderStackFileSchema());
    });

    for (const stack of listStacks()) {
        it(`validates stacks/Pulumi.${stack}.yaml, which names it on its first line`, () => {
            const file = path.join(STACKS_DIR, `Pulumi.${stack}.yaml`);
            assert.strictEqual(fs.readFileSync(file, "utf8").split("\n")[0], STACK_SCHEMA_HEADER);
            const ok = validate(parseYaml(fs.readFileSync(file, "utf8")));
            assert.ok(ok, JSON.stringify(validate.errors, null, 2));
        });
    }

    it("refuses a misspelt key, a nested typo and a wrong type (the schema is not a no-op)", () => {
        const doc = parseYaml(fs.readFileSync(path.join(STACKS_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        const cases: Record<string, unknown>[] = [
            { [`${PROJECT}:dnsZoneNmae`]: "x.example.com" },
            { [`${PROJECT}:apps`]: [{ name: "a", image: "r/a:1", port: 8080, hostname: "h" }] },
            { [`${PROJECT}:systemPoolMinCount`]: "three" },
            { [`${PROJECT}:monitoringMode`]: "grafana" },
        ];
        for (const extra of cases) assert.ok(!validate({ ...doc, config: { ...doc.config, ...extra } }), JSON.stringify(extra));
        // Other namespaces are provider settings and stay allowed.
        assert.ok(validate({ ...doc, config: { ...doc.config, "kubernetes:enableServerSideApply": "true" } }), JSON.stringify(validate.errors));
    });
});

describe("configuration reference (docs/configuration.md)", () => {
    it("matches components/config/keys.ts (run `npm run docs` after changing a key)", () => {
        const page = fs.readFileSync(path.join(ROOT, CONFIG_DOC_FILE), "utf8");
        const a = page.indexOf(CONFIG_START_MARKER);
        const b = page.indexOf(CONFIG_END_MARKER);
        assert.ok(a >= 0 && b > a, `${CONFIG_DOC_FILE} lacks the config markers`);
        assert.strictEqual(page.slice(a + CONFIG_START_MARKER.length, b), renderConfigTable(), `${CONFIG_DOC_FILE}'s config table is stale: run \`npm run docs\``);
    });

    it("the README carries no config table any more (it lives in docs/configuration.md)", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        assert.ok(!readme.includes(CONFIG_START_MARKER) && !readme.includes(CONFIG_END_MARKER), "README.md still has the config markers");
    });

    it("renders ranges and allowed values from the schema, not from descriptions", () => {
        const table = renderConfigTable();
        assert.match(table, /`aks-platform:systemPoolMinCount` \| integer 1-100 \|/);
        assert.match(table, /`aks-platform:environment` \| dev \\\| staging \\\| prod \| \*\*required\*\*/);
        assert.match(table, /`aks-platform:certManagerReplicas` \| integer 1-10 \| `1` \(dev, staging\), `2` \(prod\)/);
    });
});
